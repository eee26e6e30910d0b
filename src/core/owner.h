/* Whose is a leftover. Everything virtbench creates outside itself (temp
 * dirs, containers, cgroups, images) carries its owner: the pid and the start
 * time of the process (clock ticks after boot, /proc/<pid>/stat field 22).
 * A pid alone is reused; the pair is not, so a later run can tell a live
 * owner (never touched) from a dead one (its things are removed). */
#ifndef VB_CORE_OWNER_H
#define VB_CORE_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vb_owner {
	pid_t pid;
	uint64_t start; /* 0: not recorded (names of older versions) */
};

/* The process pid as it is now; -1 when there is no such process (a zombie
 * counts as none: it holds nothing and its pid is not free yet). */
int owner__of(pid_t pid, struct vb_owner *o);
/* This process. */
struct vb_owner owner__self(void);
/* The owner is gone: no such process, or the pid now belongs to another
 * one (another start time). Without a start time only a missing pid counts.
 * Anything unreadable counts as alive: a live run is never disturbed. */
bool owner__dead(const struct vb_owner *o);
/* "<prefix><pid><sep><start>" of this process into out. */
int owner__name(char *out, size_t size, const char *prefix, char sep);
/* Reads "<pid>" and, when with_start, "<sep><start>" from s; returns where
 * parsing stopped, or NULL when s does not start that way. */
const char *owner__scan(const char *s, char sep, bool with_start, struct vb_owner *o);

#endif

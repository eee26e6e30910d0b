/* Finding a program on PATH, as execvp would, for the process helper and
 * for the emergency clean-up that runs from a signal handler. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/proc.h"

char *proc__which(const char *name)
{
	if (!name || !*name)
		return NULL;
	struct stat sb;
	if (strchr(name, '/')) {
		if (stat(name, &sb) == 0 && S_ISREG(sb.st_mode) && access(name, X_OK) == 0)
			return strdup(name);
		return NULL;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	size_t nlen = strlen(name);
	for (const char *p = path;;) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);
		const char *dir = dlen ? p : ".";
		if (!dlen)
			dlen = 1;
		char *full = malloc(dlen + nlen + 2);
		if (!full)
			return NULL;
		memcpy(full, dir, dlen);
		full[dlen] = '/';
		memcpy(full + dlen + 1, name, nlen + 1);
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && access(full, X_OK) == 0)
			return full;
		free(full);
		if (!end)
			return NULL;
		p = end + 1;
	}
}

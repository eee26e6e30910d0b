#include "host/cpufreq.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "host/cpuinfo.h"

static void add_distinct(char *list, size_t size, const char *word)
{
	if (cpuinfo__flag_in(list, word))
		return;
	size_t len = strlen(list);
	if (len && len + 1 < size)
		list[len++] = ' ';
	hostfs__copy(list + len, size - len, word);
}

int cpufreq__read(const struct hostfs *fs, struct host_cpufreq *f)
{
	memset(f, 0, sizeof(*f));
	char dirpath[4096], buf[128], path[320];
	char govs[96] = "";
	if (hostfs__path(fs, "/sys/devices/system/cpu/cpufreq", dirpath, sizeof(dirpath)) == 0) {
		DIR *d = opendir(dirpath);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (strncmp(de->d_name, "policy", 6))
				continue;
			f->policies++;
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpufreq/%.200s/scaling_governor",
				 de->d_name);
			if (hostfs__read_line(fs, path, buf, sizeof(buf)) > 0)
				add_distinct(govs, sizeof(govs), buf);
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpufreq/%.200s/scaling_driver",
				 de->d_name);
			if (!f->driver[0] && hostfs__read_line(fs, path, buf, sizeof(buf)) > 0)
				hostfs__copy(f->driver, sizeof(f->driver), buf);
		}
		if (d)
			closedir(d);
	}
	/* Older kernels without policy directories still have cpu0/cpufreq. */
	if (!govs[0] &&
	    hostfs__read_line(fs, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf,
			      sizeof(buf)) > 0)
		hostfs__copy(govs, sizeof(govs), buf);
	for (char *s = govs; *s; s++)
		if (*s == ' ')
			*s = ',';
	hostfs__copy(f->governor, sizeof(f->governor), govs[0] ? govs : "none");
	if (hostfs__read_line(fs, "/sys/devices/system/cpu/cpuidle/current_driver",
			      f->cpuidle_driver, sizeof(f->cpuidle_driver)) < 0)
		f->cpuidle_driver[0] = '\0';
	return 0;
}

// SPDX-License-Identifier: BSD-2-Clause
/*
 * Run two commands N times each, interleaved, stdout to /dev/null; report
 * the median wall time and the median peak resident size of each.
 *
 *   runcmp N CMD_A ARGS... --vs CMD_B ARGS...
 * prints:  a_ms A_MEDIAN_MS a_rss_kb A_MEDIAN_KB b_ms ... b_rss_kb ... a_cpu_ms ... b_cpu_ms ...
 * (CPU: user + system time of the command, every thread, from wait4()).
 *
 * Peak RSS is ru_maxrss from wait4(). Linux folds the RSS a process had
 * before exec() into it, and a forked child starts with its parent's pages:
 * that is why this is a tiny C program and not a script interpreter, whose
 * own ~10 MB would be counted as the child's. Each command runs once first
 * as a warm-up (page cache, dynamic loader caches), not counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 1000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One run: wall and CPU milliseconds, peak RSS in KiB. Exits on a failing command. */
static void run(char **argv, double *ms, double *rss_kb, double *cpu_ms)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runcmp: fork");
		exit(1);
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "runcmp: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runcmp: wait4");
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runcmp: %s failed (status 0x%x)\n", argv[0], status);
		exit(1);
	}
	*ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	*rss_kb = (double)ru.ru_maxrss;
	*cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
	static double ams[MAX_RUNS], arss[MAX_RUNS], acpu[MAX_RUNS];
	static double bms[MAX_RUNS], brss[MAX_RUNS], bcpu[MAX_RUNS];
	char **a, **b = NULL;
	double ignore1, ignore2, ignore3;
	int n;

	if (argc < 5) {
		fprintf(stderr, "usage: runcmp N CMD_A ARGS... --vs CMD_B ARGS...\n");
		return 2;
	}
	n = atoi(argv[1]);
	if (n < 1 || n > MAX_RUNS) {
		fprintf(stderr, "runcmp: N must be 1..%d\n", MAX_RUNS);
		return 2;
	}
	a = argv + 2;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--vs") == 0) {
			argv[i] = NULL; /* ends A's argv */
			b = argv + i + 1;
			break;
		}
	}
	if (!b || !a[0] || !b[0]) {
		fprintf(stderr, "runcmp: need two commands separated by --vs\n");
		return 2;
	}
	run(a, &ignore1, &ignore2, &ignore3);
	run(b, &ignore1, &ignore2, &ignore3);
	for (int i = 0; i < n; i++) {
		/* Alternate the order so neither always follows the other. */
		if (i % 2) {
			run(b, &bms[i], &brss[i], &bcpu[i]);
			run(a, &ams[i], &arss[i], &acpu[i]);
		} else {
			run(a, &ams[i], &arss[i], &acpu[i]);
			run(b, &bms[i], &brss[i], &bcpu[i]);
		}
	}
	printf("a_ms %.2f a_rss_kb %.0f b_ms %.2f b_rss_kb %.0f a_cpu_ms %.2f b_cpu_ms %.2f\n",
	       median(ams, n), median(arss, n), median(bms, n), median(brss, n), median(acpu, n),
	       median(bcpu, n));
	return 0;
}

// SPDX-License-Identifier: BSD-2-Clause
/*
 * Threads that must run beside their creator at once (the second thread of
 * an open, of a validation, of a census). Left to the scheduler, a new
 * thread is queued on its creator's CPU, which the creator keeps busy, until
 * a balancing pass moves it: on this project's 2-CPU machine that took
 * milliseconds at times while the other CPU idled, and `btfkit validate` of
 * kernel BTF ran as if on one CPU. So the thread starts on another CPU of
 * the creator's set, and takes back the whole set as soon as it runs.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>

#include "btf_int.h"

struct placed_start {
	void *(*fn)(void *);
	void *arg;
	cpu_set_t cpus; /* the creator's set, given back */
};

static void *placed_main(void *p)
{
	struct placed_start s = *(struct placed_start *)p;

	free(p);
	pthread_setaffinity_np(pthread_self(), sizeof(s.cpus), &s.cpus);
	return s.fn(s.arg);
}

/* The nth CPU of `cpus` after `here`, wrapping around and never `here`; -1 if none. */
static int other_cpu(const cpu_set_t *cpus, int here, unsigned nth)
{
	int others = CPU_COUNT(cpus) - (CPU_ISSET(here, cpus) ? 1 : 0);

	if (others < 1)
		return -1;
	nth %= (unsigned)others;
	for (int step = 1; step <= CPU_SETSIZE; step++) {
		int cpu = (here + step) % CPU_SETSIZE;

		if (cpu != here && CPU_ISSET(cpu, cpus) && !nth--)
			return cpu;
	}
	return -1;
}

int btf_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, unsigned nth)
{
	struct placed_start *s = malloc(sizeof(*s));
	int here = sched_getcpu(), cpu, err = -1;
	pthread_attr_t attr;
	cpu_set_t one;

	if (s && here >= 0 && !sched_getaffinity(0, sizeof(s->cpus), &s->cpus) &&
	    (cpu = other_cpu(&s->cpus, here, nth)) >= 0 && !pthread_attr_init(&attr)) {
		s->fn = fn;
		s->arg = arg;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (!pthread_attr_setaffinity_np(&attr, sizeof(one), &one))
			err = pthread_create(thread, &attr, placed_main, s);
		pthread_attr_destroy(&attr);
		if (!err)
			return 0;
	}
	/* Placing it failed: where the scheduler puts it. */
	free(s);
	return pthread_create(thread, NULL, fn, arg);
}

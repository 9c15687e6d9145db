// SPDX-License-Identifier: BSD-2-Clause
/*
 * Work ahead: a second thread that does, for large BTF (kernel BTF), the
 * checks whose answers do not depend on the order the kernel makes them in,
 * ahead of the thread that follows the kernel's order:
 *
 *   1. every string start of the section: a valid identifier or not
 *      (names.c), while the first pass runs;
 *   2. once the first pass has read every type: every FUNC's prototype
 *      (exists, is a FUNC_PROTO, names all its parameters), which is all the
 *      kernel's resolve of a FUNC checks;
 *   3. the order of type tags, which the kernel checks after the resolve pass.
 *
 * The ordered thread takes an answer when it is there and checks the thing
 * itself otherwise, and a failure is always reported by the ordered thread's
 * own check: the verdict and its message are the same with or without this
 * thread, only who does the work changes.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "validate_int.h"
#include "../btf/btf_int.h"

/* Below this many bytes of strings the thread costs more than it saves. */
#define AHEAD_MIN_STRINGS (256u << 10)
/* FUNC answers are published every this many types (a multiple of 64). */
#define AHEAD_FUNC_STEP 4096u

enum { TYPES_PENDING, TYPES_READ, TYPES_FAILED };

struct ahead {
	struct v_env env; /* a copy: the rules and the character table */
	struct v_btf *b;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int types_state; /* under lock: has the first pass read every type? */
};

static void check_funcs(struct v_btf *b)
{
	uint32_t n = b->nr_types;

	for (uint32_t i = 0; i < n; i++) {
		/* What the kernel's resolve of a FUNC checks. */
		if (b->kinds[i] == BTFKIT_KIND_FUNC && v_func_unnamed_param(b, b->types[i]) == -1)
			b->func_ok[i >> 6] |= 1ull << (i & 63);
		if (!((i + 1) % AHEAD_FUNC_STEP))
			atomic_store_explicit(&b->func_checked, i + 1, memory_order_release);
	}
	atomic_store_explicit(&b->func_checked, n, memory_order_release);
}

static void *ahead_main(void *arg)
{
	struct ahead *a = arg;
	struct v_btf *b = a->b;
	int state;

	v_scan_names(&a->env, b);

	pthread_mutex_lock(&a->lock);
	while (a->types_state == TYPES_PENDING)
		pthread_cond_wait(&a->cond, &a->lock);
	state = a->types_state;
	pthread_mutex_unlock(&a->lock);
	if (state != TYPES_READ)
		return NULL;

	if (b->func_ok)
		check_funcs(b);
	b->tags_ok = v_type_tags_ok(b) ? 1 : -1;
	return NULL;
}

void v_ahead_start(struct v_env *env)
{
	struct v_btf *b = env->btf;
	struct ahead *a;

	if (b->hdr.str_len < AHEAD_MIN_STRINGS || b->ahead)
		return;
	b->prescan = btf_zalloc(b->hdr.str_len / 64 + 1, sizeof(*b->prescan));
	/* At most one type per 12 bytes; the bits are by local index. */
	b->func_ok = btf_zalloc(b->hdr.type_len / 12 / 64 + 2, sizeof(*b->func_ok));
	a = malloc(sizeof(*a));
	if (!b->prescan || !b->func_ok || !a)
		goto no_thread;
	a->env = *env;
	a->b = b;
	a->types_state = TYPES_PENDING;
	atomic_store(&b->scanned, 0);
	atomic_store(&b->func_checked, 0);
	b->tags_ok = 0;
	if (pthread_mutex_init(&a->lock, NULL))
		goto no_thread;
	if (pthread_cond_init(&a->cond, NULL)) {
		pthread_mutex_destroy(&a->lock);
		goto no_thread;
	}
	if (btf_thread_start(&a->thread, ahead_main, a, 0)) {
		pthread_cond_destroy(&a->cond);
		pthread_mutex_destroy(&a->lock);
		goto no_thread;
	}
	b->ahead = a;
	return;
no_thread:
	/* Nothing is done ahead: the ordered thread checks everything itself. */
	free(b->prescan);
	free(b->func_ok);
	b->prescan = NULL;
	b->func_ok = NULL;
	free(a);
}

void v_ahead_types_read(struct v_env *env, bool ok)
{
	struct ahead *a = env->btf->ahead;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->types_state = ok ? TYPES_READ : TYPES_FAILED;
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

void v_ahead_stop(struct v_env *env)
{
	struct v_btf *b = env->btf;
	struct ahead *a = b->ahead;

	if (!a)
		return;
	/* A pass that failed early never said whether the types were read. */
	v_ahead_types_read(env, false);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
	b->ahead = NULL;
}

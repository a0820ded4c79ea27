/*
 * unit.h - a minimal unit-test harness printing the TAP-like lines that
 * tests/run.sh counts. CHECK never aborts, so one run reports every failure.
 */
#ifndef RG_UNIT_H
#define RG_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(name, cond) do { \
	if (cond) printf("ok - %s\n", name); \
	else { printf("not ok - %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__); unit_failed++; } \
} while (0)

#define CHECK_EQ(name, want, got) do { \
	long long w_ = (long long)(want), g_ = (long long)(got); \
	if (w_ == g_) printf("ok - %s\n", name); \
	else { printf("not ok - %s: expected %lld, got %lld (%s:%d)\n", name, w_, g_, __FILE__, __LINE__); unit_failed++; } \
} while (0)

#define UNIT_DONE() return unit_failed ? 1 : 0

#endif

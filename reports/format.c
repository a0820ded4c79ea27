/*
 * format.c - sizes, values and deltas for people (see format.h): 1024-based
 * units, "%.2f" under 10, "%.1f" under 100, "%.0f" above, so a column of
 * them reads at three significant digits.
 */
#include "format.h"

#include <stdio.h>

#include "../budgets/budgets.h"

static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

const char *rg_fmt_unit(int k)
{
	return k >= 0 && k < (int)(sizeof(units) / sizeof(units[0])) ? units[k] : NULL;
}

const char *rg_fmt_size_in(int64_t v, int64_t unit, int decimals, char *buf, size_t len)
{
	int k = 0;
	int64_t u;

	for (u = unit; u > 1 && rg_fmt_unit(k + 1); u /= 1024)
		k++;
	snprintf(buf, len, "%.*f %s", decimals, (double)v / (double)unit, units[k]);
	return buf;
}

const char *rg_fmt_size(int64_t v, char *buf, size_t len)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	double d;
	int u = 0;

	if (a < 1024) {
		snprintf(buf, len, "%lld B", (long long)v);
		return buf;
	}
	d = (double)a;
	while (d >= 1024 && u < 6) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, d >= 100 ? "%s%.0f %s" : d >= 10 ? "%s%.1f %s" : "%s%.2f %s",
	         v < 0 ? "-" : "", d, units[u]);
	return buf;
}

const char *rg_fmt_value(const char *metric, int64_t v, char *buf, size_t len)
{
	if (rg_metric_is_bytes(metric))
		return rg_fmt_size(v, buf, len);
	snprintf(buf, len, "%lld", (long long)v);
	return buf;
}

const char *rg_fmt_delta(const char *metric, int64_t d, char *buf, size_t len)
{
	char v[48];

	snprintf(buf, len, "%s%s", d > 0 ? "+" : "", rg_fmt_value(metric, d, v, sizeof(v)));
	return buf;
}

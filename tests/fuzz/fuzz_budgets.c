/*
 * fuzz_budgets.c - libFuzzer target for the relgate.yml loader
 * (budgets/config.c): rg_config_parse on arbitrary bytes must return a
 * config or one positioned error, never crash, leak or hang. A loaded config
 * is then judged against a small synthetic measurement so rule arithmetic
 * and verdict wording run on every limit the loader accepts.
 */
#include "../../budgets/judge.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rg_config *c = NULL;
	rg_err err = { 0 };
	size_t i, j;

	if (rg_config_parse("fuzz.yml", (const char *)data, size, &c, &err) != RG_OK) {
		if (!err.msg[0] || strlen(err.msg) >= sizeof(err.msg))
			abort(); /* every error must say something */
		return 0;
	}
	for (i = 0; i < c->ntargets; i++) {
		const rg_target *t = &c->targets[i];
		rg_metric_map base = RG_METRIC_MAP_INIT, head = RG_METRIC_MAP_INIT;
		rg_target_result res;
		char buf[64];

		for (j = 0; j < t->nrules; j++) {
			rg_metric_map_set(&base, t->rules[j].metric, (int64_t)(j * 4096));
			rg_metric_map_set(&head, t->rules[j].metric, t->rules[j].value);
			rg_rule_limit_str(&t->rules[j], buf, sizeof(buf));
		}
		memset(&err, 0, sizeof(err));
		rg_judge_target(t, &base, &head, &res, &err);
		rg_target_result_free(&res);
		rg_judge_target(t, NULL, &head, &res, &err);
		rg_target_result_free(&res);
		rg_metric_map_free(&base);
		rg_metric_map_free(&head);
	}
	rg_config_free(c);
	return 0;
}

/*
 * test_budgets_loader.c - the relgate.yml loader (budgets/config.c): every
 * error case with its exact FILE:LINE:COL, and what valid files load into.
 *
 * Expected positions are derived from the test text itself, not from the
 * loader: pos_of() finds the Nth occurrence of a needle in the YAML and
 * counts lines and columns (1-based) by hand, the way an editor shows them.
 * For libyaml's own syntax errors the position is written next to the case.
 */
#include "unit.h"
#include "../../budgets/budgets.h"

#include <stdlib.h>

/* "FILE:LINE:COL" of the nth (1-based) occurrence of needle in text. */
static void pos_of(const char *text, const char *needle, int nth, char *buf, size_t len)
{
	const char *p = text, *hit = NULL, *q;
	int line = 1, col = 1;

	while (nth-- > 0 && (hit = strstr(p, needle)))
		p = hit + 1;
	if (!hit) {
		snprintf(buf, len, "(needle '%s' not found)", needle);
		return;
	}
	for (q = text; q < hit; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(buf, len, "t.yml:%d:%d: ", line, col);
}

#define HEAD "version: 1\ntargets:\n  app:\n    build: make\n    artifact: out/app\n"

/* Loads yaml; expects an error "POS" + msg where POS is the needle's. */
static void expect_err(const char *name, const char *yaml, const char *needle, int nth,
                       const char *msg)
{
	rg_config *c = NULL;
	rg_err err = { 0 };
	char want[600], pos[64];
	int rc = rg_config_parse("t.yml", yaml, strlen(yaml), &c, &err);

	if (needle)
		pos_of(yaml, needle, nth, pos, sizeof(pos));
	else
		snprintf(pos, sizeof(pos), "t.yml:1:1: ");
	snprintf(want, sizeof(want), "%s%s", pos, msg);
	if (rc == RG_EINPUT && c == NULL && !strcmp(err.msg, want))
		printf("ok - loader error: %s\n", name);
	else {
		printf("not ok - loader error: %s: rc %d, wanted '%s', got '%s'\n", name, rc, want, err.msg);
		unit_failed++;
	}
	rg_config_free(c);
}

static void errors(void)
{
	char deep[400];
	int i;

	expect_err("unknown rule", HEAD "    budgets:\n      file.size:\n        maxx: 1MiB\n",
	           "maxx", 1, "unknown rule 'maxx' (expected max, warn_max, max_increase, warn_increase)");
	expect_err("duplicate rule", HEAD "    budgets:\n      file.size: { max: 1MiB, max: 2MiB }\n",
	           "max:", 2, "duplicate key 'max' (first at line 7)");
	expect_err("duplicate target", "version: 1\ntargets:\n  a: {build: x, artifact: y}\n"
	           "  a: {build: x, artifact: y}\n", "a:", 2, "duplicate key 'a' (first at line 3)");
	expect_err("unknown target key", HEAD "    buld: make\n", "buld", 1,
	           "unknown key 'buld' in target 'app' (expected build, artifact, arch, page_size, "
	           "timeout, env, submodules, toolchain, budgets)");
	expect_err("unknown top key", "version: 1\ntarget:\n  app: {}\n", "target:", 1,
	           "unknown key 'target' (expected version, targets, notes)");
	expect_err("notes outside refs/notes/", "version: 1\nnotes: refs/heads/main\n", "refs/heads", 1,
	           "notes: 'refs/heads/main' is not a ref under refs/notes/ (e.g. refs/notes/relgate)");
	expect_err("notes ref with '..'", "version: 1\nnotes: refs/notes/a..b\n", "refs/notes", 1,
	           "notes: 'refs/notes/a..b' is not a ref under refs/notes/ (e.g. refs/notes/relgate)");
	expect_err("notes ref with a space", "version: 1\nnotes: 'refs/notes/a b'\n", "'refs", 1,
	           "notes: 'refs/notes/a b' is not a ref under refs/notes/ (e.g. refs/notes/relgate)");
	expect_err("toolchain not a list", HEAD "    toolchain: {cc: 1}\n", "{cc", 1,
	           "toolchain must be a list, got a mapping");
	expect_err("toolchain empty command", HEAD "    toolchain: [cc --version, '']\n", "''", 1,
	           "empty toolchain command");
	expect_err("budgets wrong type", HEAD "    budgets: [1, 2]\n", "[1", 1,
	           "budgets must be a mapping, got a list");
	expect_err("rule wrong type", HEAD "    budgets:\n      file.size: { max: [1] }\n", "[1]", 1,
	           "max must be a value, got a list");
	expect_err("bad unit", HEAD "    budgets:\n      file.size: { max: 16Kb }\n", "16Kb", 1,
	           "bad value '16Kb' for max: bad unit (expected B, KiB, MiB, GiB, KB, MB, GB)");
	expect_err("negative", HEAD "    budgets:\n      file.size: { max: -5 }\n", "-5", 1,
	           "bad value '-5' for max: negative values are not allowed");
	expect_err("overflow 2^63", HEAD "    budgets:\n      file.size: { max: 9223372036854775808 }\n",
	           "9223", 1, "bad value '9223372036854775808' for max: too large (the limit is 2^63-1)");
	expect_err("overflow unit", HEAD "    budgets:\n      file.size: { max: 8589934592GiB }\n",
	           "8589", 1, "bad value '8589934592GiB' for max: too large (the limit is 2^63-1)");
	expect_err("overflow digits", HEAD "    budgets:\n      file.size: { max: 99999999999999999999999 }\n",
	           "9999", 1, "bad value '99999999999999999999999' for max: number too large");
	expect_err("percent on max", HEAD "    budgets:\n      file.size: { max: 5% }\n", "5%", 1,
	           "bad value '5%' for max: a percentage is only allowed for max_increase and warn_increase");
	expect_err("percent decimals", HEAD "    budgets:\n      relocs.total: { max_increase: 1.00001% }\n",
	           "1.0", 1, "bad value '1.00001%' for max_increase: at most 4 decimals in a percentage");
	expect_err("unit on a count", HEAD "    budgets:\n      relocs.total: { max: 1KiB }\n", "1KiB", 1,
	           "bad value '1KiB' for max: a size unit on a metric that counts things, not bytes");
	expect_err("fraction of a byte", HEAD "    budgets:\n      file.size: { max: 1.3B }\n", "1.3B", 1,
	           "bad value '1.3B' for max: not a whole number of bytes");
	expect_err("not a number", HEAD "    budgets:\n      file.size: { max: lots }\n", "lots", 1,
	           "bad value 'lots' for max: expected a number");
	expect_err("unknown metric", HEAD "    budgets:\n      dirty.relro.byte: { max: 1 }\n",
	           "dirty", 1, "unknown metric 'dirty.relro.byte' (see docs/metrics.md)");
	expect_err("unknown segment field", HEAD "    budgets:\n      \"segment[__TEXT].size\": { max: 1 }\n",
	           "\"segment", 1, "unknown metric 'segment[__TEXT].size' (see docs/metrics.md)");
	expect_err("no rules", HEAD "    budgets:\n      file.size: {}\n", "{}", 1,
	           "no rules for 'file.size' (expected max, warn_max, max_increase, warn_increase)");
	expect_err("page size", HEAD "    page_size: 3000\n", "3000", 1,
	           "page_size '3000' is not a power of two from 512 B to 1 MiB");
	expect_err("timeout unit", HEAD "    timeout: 30x\n", "30x", 1,
	           "bad value '30x' for timeout: bad unit (expected s, m or h, as in 90s, 30m, 2h)");
	expect_err("timeout zero", HEAD "    timeout: 0s\n", "0s", 1,
	           "bad value '0s' for timeout: a timeout must be positive");
	expect_err("submodules", HEAD "    submodules: yes\n", "yes", 1,
	           "bad value 'yes' for submodules (expected skip or export)");
	expect_err("env name", HEAD "    env: [CC, 1BAD]\n", "1BAD", 1,
	           "'1BAD' is not an environment variable name");
	expect_err("env type", HEAD "    env: CC\n", "CC", 1, "env must be a list, got a scalar");
	expect_err("missing build", "version: 1\ntargets:\n  app:\n    artifact: x\n", "app", 1,
	           "target 'app' has no 'build' (the command that builds it)");
	expect_err("missing artifact", "version: 1\ntargets:\n  app:\n    build: x\n", "app", 1,
	           "target 'app' has no 'artifact' (the file the build writes)");
	expect_err("bad target name", "version: 1\ntargets:\n  my app: {build: x, artifact: y}\n", "my app",
	           1, "target name 'my app' may only contain letters, digits, '.', '_' and '-'");
	expect_err("version 2", "version: 2\ntargets: {}\n", "2", 1, "unsupported version '2' (expected 1)");
	expect_err("missing version", "targets:\n  a: {build: x, artifact: y}\n", "targets", 1,
	           "missing 'version: 1'");
	expect_err("no targets", "version: 1\ntargets: {}\n", "targets", 1, "no targets");
	expect_err("targets list", "version: 1\ntargets: [a]\n", "[a]", 1,
	           "targets must be a mapping, got a list");
	expect_err("root scalar", "hello\n", "hello", 1,
	           "expected a mapping with 'version' and 'targets', got a scalar");
	expect_err("empty file", "", NULL, 0, "empty file (expected 'version: 1' and 'targets')");
	expect_err("only comments", "# nothing here\n\n", NULL, 0,
	           "empty file (expected 'version: 1' and 'targets')");
	expect_err("anchor", "version: &v 1\ntargets: {}\n", "&v", 1,
	           "anchors ('&v') and aliases are not supported");
	expect_err("alias", "version: 1\ntargets:\n  a: *x\n", "*x", 1, "aliases ('*x') are not supported");
	expect_err("billion laughs", "a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n", "&a", 1,
	           "anchors ('&a') and aliases are not supported");
	expect_err("tag", HEAD "    budgets:\n      file.size: { max: !!int 5 }\n", "!!int", 1,
	           "YAML tags ('tag:yaml.org,2002:int') are not supported");
	expect_err("second document", "version: 1\ntargets: {}\n---\nversion: 1\n", "---", 1,
	           "only one YAML document is allowed");
	expect_err("complex key", "? [a]\n: b\n", "[a]", 1, "mapping keys must be plain strings");
	/* 40 nested flow sequences: the root mapping is level 1 and the k-th
	 * '[' level k+1, so the 32nd '[' (column 10 + 31 = 41 of line 2) is the
	 * first one past RG_CONFIG_MAX_DEPTH = 32. */
	snprintf(deep, sizeof(deep), "version: 1\ntargets: ");
	for (i = 0; i < 40; i++)
		strcat(deep, "[");
	for (i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "\n");
	expect_err("nesting too deep", deep, "[", 32, "nesting too deep (more than 32 levels)");
	/* libyaml's own syntax errors, at libyaml's problem mark (the same
	 * position PyYAML's pure-Python scanner reports; tests/e2e checks that):
	 * "a: b: c" -> mapping values are not allowed here, at the second ':'
	 * (line 1, column 5). */
	expect_err("syntax: mapping value", "a: b: c\n", ": c", 1,
	           "YAML syntax error: mapping values are not allowed in this context");
}

/* An unclosed flow mapping: only the position is checked here (the wording
 * is libyaml's). */
static void syntax_position(void)
{
	const char *y = "version: 1\ntargets:\n  app: {build: x\n";
	rg_config *c = NULL;
	rg_err err = { 0 };

	CHECK("syntax error is an input error", rg_config_parse("t.yml", y, strlen(y), &c, &err) == RG_EINPUT);
	/* The stream ends at line 4, column 1 (after the last newline). */
	CHECK("syntax error names libyaml's position", !strncmp(err.msg, "t.yml:4:1: YAML syntax error: ", 30));
	rg_config_free(c);
}

static void too_big(void)
{
	size_t n = RG_CONFIG_MAX_BYTES + 1;
	char *buf = malloc(n);
	rg_config *c = NULL;
	rg_err err = { 0 };

	memset(buf, '#', n);
	CHECK("larger than 1 MiB refused", rg_config_parse("t.yml", buf, n, &c, &err) == RG_EINPUT &&
	      strstr(err.msg, "larger than 1048576 bytes"));
	free(buf);
}

static void valid(void)
{
	const char *y =
		"version: 1\n"
		"targets:\n"
		"  ios-extension:\n"
		"    build: GOOS=ios GOARCH=arm64 go build -o \"$RELGATE_OUT/ext\" ./cmd/ext\n"
		"    artifact: $RELGATE_OUT/ext\n"
		"    arch: arm64\n"
		"    page_size: 16KiB\n"
		"    timeout: 30m\n"
		"    env: [CC, GOFLAGS]\n"
		"    submodules: skip\n"
		"    toolchain: [cc --version, go version]\n"
		"    budgets:\n"
		"      dirty.relro.bytes:  { max: 1MiB, max_increase: 16KiB }\n"
		"      relocs.total:       { max_increase: 2.5% }\n"
		"      file.size:          { max: 20MB, warn_increase: 1.5 KiB }\n"
		"      \"segment[__DATA_CONST].vmsize\": { warn_max: 8589934591GiB }\n"
		"  other:\n"
		"    build: make\n"
		"    artifact: 'a b'\n"
		"    timeout: 45\n"
		"notes: refs/notes/ci-metrics\n";
	rg_config *c = NULL;
	rg_err err = { 0 };
	const rg_target *t;
	char pos[64];
	int pl = 0, pc = 0;

	CHECK_EQ("valid file loads", RG_OK, rg_config_parse("relgate.yml", y, strlen(y), &c, &err));
	if (!c) {
		printf("not ok - valid file: %s\n", err.msg);
		unit_failed++;
		return;
	}
	CHECK_EQ("two targets", 2, c->ntargets);
	t = rg_config_target(c, "ios-extension");
	CHECK("target found", t != NULL && rg_config_target(c, "nope") == NULL);
	if (!t)
		return;
	CHECK("build kept verbatim", !strcmp(t->build, "GOOS=ios GOARCH=arm64 go build -o \"$RELGATE_OUT/ext\" ./cmd/ext"));
	CHECK("arch", !strcmp(t->arch, "arm64"));
	CHECK_EQ("page_size 16KiB", 16384, t->page_size);
	CHECK_EQ("timeout 30m", 1800, t->timeout_s);
	CHECK("env", t->nenv == 2 && !strcmp(t->env[0], "CC") && !strcmp(t->env[1], "GOFLAGS"));
	CHECK_EQ("submodules skip", 1, t->submodules_skip);
	CHECK_EQ("rules in file order", 6, t->nrules);
	CHECK_EQ("max 1MiB", 1048576, t->rules[0].value);
	CHECK_EQ("max_increase 16KiB", 16384, t->rules[1].value);
	CHECK("kinds", t->rules[0].kind == RG_RULE_MAX && t->rules[1].kind == RG_RULE_MAX_INCREASE &&
	      t->rules[4].kind == RG_RULE_WARN_INCREASE && t->rules[5].kind == RG_RULE_WARN_MAX);
	CHECK("percent 2.5%", t->rules[2].is_percent && t->rules[2].percent_units == 25000 &&
	      t->rules[2].percent == 2.5);
	CHECK_EQ("20MB is SI", 20000000, t->rules[3].value);
	CHECK_EQ("1.5 KiB with a space", 1536, t->rules[4].value);
	CHECK_EQ("64-bit size", (int64_t)8589934591 * 1073741824, t->rules[5].value);
	CHECK("quoted bracket metric", !strcmp(t->rules[5].metric, "segment[__DATA_CONST].vmsize"));
	/* A rule's position is that of its value ("16KiB" on line 12). */
	pos_of(y, "16KiB }", 1, pos, sizeof(pos));
	CHECK("position parsed", sscanf(pos, "t.yml:%d:%d", &pl, &pc) == 2);
	CHECK_EQ("rule line", 13, t->rules[1].line);
	CHECK_EQ("rule line = the value's line", pl, t->rules[1].line);
	CHECK_EQ("rule col = the value's column", pc, t->rules[1].col);
	CHECK("rule file", !strcmp(t->rules[1].file, "relgate.yml"));
	CHECK_EQ("target line", 3, t->line);
	CHECK_EQ("target col", 3, t->col);
	CHECK("toolchain: [cc --version, go version]", t->has_toolchain && t->ntoolchain == 2 &&
	      !strcmp(t->toolchain[0], "cc --version") && !strcmp(t->toolchain[1], "go version"));
	CHECK("notes: refs/notes/ci-metrics", c->notes_ref && !strcmp(c->notes_ref, "refs/notes/ci-metrics"));
	t = rg_config_target(c, "other");
	CHECK("second target defaults", t && !t->arch && t->page_size == 0 && t->nrules == 0 &&
	      t->timeout_s == 45 && !t->submodules_skip && !strcmp(t->artifact, "a b"));
	CHECK("no toolchain: the default fingerprint", t && !t->has_toolchain && t->ntoolchain == 0);
	rg_config_free(c);
}

static void value_forms(void)
{
	int64_t v = 0, pu = 0;
	double p = 0;
	unsigned s = 0;

	CHECK("size 0", !rg_parse_size("0", 1, &v) && v == 0);
	CHECK("size 1GiB", !rg_parse_size("1GiB", 1, &v) && v == 1073741824);
	CHECK("size 1GB", !rg_parse_size("1GB", 1, &v) && v == 1000000000);
	CHECK("size 2KB", !rg_parse_size("2KB", 1, &v) && v == 2000);
	CHECK("size max int64", !rg_parse_size("9223372036854775807", 0, &v) && v == INT64_MAX);
	CHECK("size 0.5MiB", !rg_parse_size("0.5MiB", 1, &v) && v == 524288);
	CHECK("size lowercase unit refused", rg_parse_size("1kib", 1, &v) != NULL);
	CHECK("size plus sign refused", rg_parse_size("+1", 1, &v) != NULL);
	CHECK("size trailing dot refused", rg_parse_size("1.", 1, &v) != NULL);
	CHECK("percent 0%", !rg_parse_percent("0%", &pu, &p) && pu == 0);
	CHECK("percent 0.0001%", !rg_parse_percent("0.0001%", &pu, &p) && pu == 1);
	CHECK("percent 1000000%", !rg_parse_percent("1000000%", &pu, &p) && pu == 10000000000LL);
	CHECK("percent 1000000.1% refused", rg_parse_percent("1000000.1%", &pu, &p) != NULL);
	CHECK("duration 90s", !rg_parse_duration("90s", &s) && s == 90);
	CHECK("duration 2h", !rg_parse_duration("2h", &s) && s == 7200);
	CHECK("duration 8 days refused", rg_parse_duration("192h", &s) != NULL);
	CHECK("duration 1.5h refused", rg_parse_duration("1.5h", &s) != NULL);
}

int main(void)
{
	errors();
	syntax_position();
	too_big();
	valid();
	value_forms();
	UNIT_DONE();
}

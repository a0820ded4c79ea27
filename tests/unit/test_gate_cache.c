/*
 * test_gate_cache.c - the check cache's key and store (gate/cache.c) and the
 * log tail of failed builds (gate/build.c). Expectations follow from the
 * documented key (docs/gate.md "Cache"): every listed input changes it,
 * nothing else does; an entry reads back; a corrupt entry is a miss.
 */
#include "unit.h"
#include "../../gate/buf.h"
#include "../../gate/build.h"
#include "../../gate/cache.h"
#include "../../gate/toolchain.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *env_names[] = { "RG_TEST_CC" };

static rg_target target(void)
{
	rg_target t;

	memset(&t, 0, sizeof(t));
	t.name = "app";
	t.build = "cc -o \"$RELGATE_OUT/app\" main.c";
	t.artifact = "$RELGATE_OUT/app";
	t.env = env_names;
	t.nenv = 1;
	return t;
}

static const char *toolchain = "";

/* gate/buf.c, the buffer the cache key, the budget diff and the Markdown
 * summary are built in: printf appends grow it past its first allocations
 * and keep it one NUL-terminated string. */
static void buf_cases(void)
{
	rg_buf b = RG_BUF_INIT;
	char want[64 * 12 + 1];
	size_t i, n = 0;

	for (i = 0; i < 64; i++) {
		rg_buf_printf(&b, "%s=%03zu:", i % 2 ? "ab" : "cdefgh", i);
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s=%03zu:", i % 2 ? "ab" : "cdefgh", i);
	}
	rg_buf_add(&b, "xy", 1);
	want[n++] = 'x';
	want[n] = '\0';
	CHECK("buf-printf-length", !b.oom && b.n == n);
	CHECK("buf-printf-text", b.p && strcmp(b.p, want) == 0);
	free(b.p);
}

static void key(const rg_target *t, const git_oid *tree, char *hex)
{
	rg_err err = { 0, "" };
	if (rg_cache_key(t, tree, toolchain, hex, &err) != RG_OK)
		strcpy(hex, "error");
}

/* DIR/d/d/.../d, `levels` deep, each level read-only and holding a file,
 * made with relative mkdir/chdir so it may exceed PATH_MAX as a path. */
static int deep_tree(const char *dir, int levels)
{
	int top = open(".", O_RDONLY), i, ok = chdir(dir) == 0;

	for (i = 0; ok && i < levels; i++) {
		FILE *f = fopen("f", "w");
		if (f)
			fclose(f);
		ok = mkdir("d", 0777) == 0 && chmod(".", 0555) == 0 && chdir("d") == 0;
	}
	ok = fchdir(top) == 0 && ok;
	close(top);
	return ok;
}

/* rg_rmtree on trees a build may leave: 300 levels (the old removal
 * stopped at 256), longer than PATH_MAX as a path, read-only directories,
 * a symlink to outside that must not be followed. */
static void rmtree_cases(void)
{
	char dir[] = "/tmp/rg-unit-rmtree-XXXXXX", sub[300], outside[] = "/tmp/rg-unit-keep-XXXXXX";
	char keep[400];
	FILE *f;

	if (!mkdtemp(dir) || !mkdtemp(outside))
		return;
	snprintf(keep, sizeof(keep), "%s/precious", outside);
	if ((f = fopen(keep, "w")))
		fclose(f);
	snprintf(sub, sizeof(sub), "%s/a", dir);
	CHECK("rmtree: 300 levels made", mkdir(sub, 0777) == 0 && deep_tree(sub, 300));
	snprintf(sub, sizeof(sub), "%s/b", dir);
	CHECK("rmtree: 2100 levels (8 KiB of path) made", mkdir(sub, 0777) == 0 && deep_tree(sub, 2100));
	snprintf(sub, sizeof(sub), "%s/link", dir);
	CHECK("rmtree: symlink made", symlink(outside, sub) == 0);
	CHECK_EQ("rmtree: deep, read-only tree removed", 0, rg_rmtree(dir));
	CHECK("rmtree: nothing left", access(dir, F_OK) != 0);
	CHECK("rmtree: the symlink's target is untouched", access(keep, F_OK) == 0);
	CHECK_EQ("rmtree: a missing path is fine", 0, rg_rmtree(dir));
	unlink(keep);
	rmdir(outside);
}

/* Replaces the first `from` in file path by `to`; 1 when it did. */
static int edit_file(const char *path, const char *from, const char *to)
{
	char buf[8192], out[8400], *p;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(p = strstr(buf, from)))
		return 0;
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(p - buf), buf, to, p + strlen(from));
	if (!(f = fopen(path, "wb")))
		return 0;
	fputs(out, f);
	return fclose(f) == 0;
}

/* A corrupt entry is a miss (issue 12 item 10): a changed digit (caught
 * by the checksum only), and values that are not integers. */
static void corrupt_cases(rg_cache *c, const char *k, const char *path)
{
	static const char *const bad[] = { "\"file.size\":1235", "\"file.size\":\"x\"",
	                                   "\"file.size\":1.5", "\"file.size\":null" };
	cJSON *bin = cJSON_Parse("{\"path\":\"x\",\"metrics\":{\"file.size\":1234,"
	                         "\"vm.size\":9223372036854775807,\"relocs.total\":123456789012345678}}");
	rg_err err = { 0, "" };
	cJSON *got;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[100];

		rg_cache_put(c, k, "app", bin, &err);
		snprintf(name, sizeof(name), "cache: entry edited to %s", bad[i]);
		CHECK(name, edit_file(path, "\"file.size\":1234", bad[i]));
		snprintf(name, sizeof(name), "cache: %s is a miss", bad[i]);
		got = rg_cache_get(c, k);
		CHECK(name, got == NULL);
		cJSON_Delete(got);
	}
	rg_cache_put(c, k, "app", bin, &err);
	got = rg_cache_get(c, k);
	CHECK("cache: large integers read back (the checksum is stable)", got != NULL);
	cJSON_Delete(got);
	got = NULL;
	CHECK("cache: an entry without a checksum is a miss",
	      edit_file(path, ",\"checksum\":", ",\"nochecksum\":") && !(got = rg_cache_get(c, k)));
	cJSON_Delete(got);
	cJSON_Delete(bin);
}

int main(void)
{
	char dir[] = "/tmp/rg-unit-cache-XXXXXX", k0[41], k1[41], path[4300];
	rg_target t = target(), u;
	git_oid tree, tree2;
	rg_cache c;
	rg_err err = { 0, "" };
	cJSON *bin, *got;
	FILE *f;
	char *tail;

	buf_cases();

	CHECK_EQ("libgit2 loads at run time", RG_OK, rg_git2_load(&err));
	if (err.code) {
		printf("not ok - libgit2: %s\n", err.msg);
		UNIT_DONE();
	}
	git_oid_fromstr(&tree, "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
	git_oid_fromstr(&tree2, "4b825dc642cb6eb9a060e54bf8d69288fbee4905");
	unsetenv("RG_TEST_CC");

	key(&t, &tree, k0);
	key(&t, &tree, k1);
	CHECK("key: 40 hex digits", strlen(k0) == 40);
	CHECK("key: same inputs, same key", !strcmp(k0, k1));
	key(&t, &tree2, k1);
	CHECK("key: tree id changes it", strcmp(k0, k1) != 0);
	u = t; u.build = "cc -O2 -o \"$RELGATE_OUT/app\" main.c";
	key(&u, &tree, k1);
	CHECK("key: build command changes it", strcmp(k0, k1) != 0);
	u = t; u.name = "app2";
	key(&u, &tree, k1);
	CHECK("key: target name changes it (builds see $RELGATE_TARGET)", strcmp(k0, k1) != 0);
	u = t; u.artifact = "$RELGATE_OUT/app2";
	key(&u, &tree, k1);
	CHECK("key: artifact changes it", strcmp(k0, k1) != 0);
	u = t; u.arch = "arm64";
	key(&u, &tree, k1);
	CHECK("key: arch changes it", strcmp(k0, k1) != 0);
	u = t; u.page_size = 16384;
	key(&u, &tree, k1);
	CHECK("key: page size changes it", strcmp(k0, k1) != 0);
	setenv("RG_TEST_CC", "", 1);
	key(&t, &tree, k1);
	CHECK("key: a named variable set (even empty) differs from unset", strcmp(k0, k1) != 0);
	setenv("RG_TEST_CC", "clang", 1);
	key(&t, &tree, k0);
	setenv("RG_TEST_CC", "gcc", 1);
	key(&t, &tree, k1);
	CHECK("key: the value of a named variable changes it", strcmp(k0, k1) != 0);
	setenv("RG_TEST_OTHER", "x", 1);
	key(&t, &tree, k0);
	CHECK("key: an unnamed variable does not", !strcmp(k0, k1));
	u = t; u.timeout_s = 99;
	key(&u, &tree, k0);
	CHECK("key: the timeout does not (it does not change the binary)", !strcmp(k0, k1));
	{
		rg_rule rules[2];
		memset(rules, 0, sizeof(rules));
		snprintf(rules[0].metric, sizeof(rules[0].metric), "relocs.total");
		snprintf(rules[1].metric, sizeof(rules[1].metric), "package[example.com/upnp].relocs");
		u = t; u.rules = rules; u.nrules = 1;
		key(&u, &tree, k0);
		CHECK("key: a rule on a catalog metric does not", !strcmp(k0, k1));
		u.nrules = 2;
		key(&u, &tree, k0);
		CHECK("key: a group metric a rule names changes it (measured only when named)",
		      strcmp(k0, k1) != 0);
	}
	toolchain = "1111111111111111111111111111111111111111";
	key(&t, &tree, k0);
	CHECK("key: the toolchain fingerprint changes it", strcmp(k0, k1) != 0);
	toolchain = "2222222222222222222222222222222222222222";
	key(&t, &tree, k1);
	CHECK("key: another toolchain, another key", strcmp(k0, k1) != 0);
	toolchain = "";
	key(&t, &tree, k1);

	/* The compilers a build command names (docs/gate.md "Toolchain"),
	 * derived by reading each command as a shell would split it. */
	{
		static const char *const cases[][2] = {
			{ "cc -O2 -o \"$RELGATE_OUT/app\" main.c", "cc" },
			{ "CC=clang make", "clang" },
			{ "GOOS=ios GOARCH=arm64 go build -o \"$RELGATE_OUT/ext\" ./cmd/ext", "go" },
			{ "cargo build --release && cp target/release/x \"$RELGATE_OUT\"", "cargo" },
			{ "xcodebuild -scheme App && swift build", "xcodebuild swift" },
			{ "gcc-12 a.c; /usr/bin/clang-19 b.c; aarch64-linux-gnu-gcc c.c",
			  "gcc-12 /usr/bin/clang-19 aarch64-linux-gnu-gcc" },
			{ "./cc.sh && tools/go run x.go && make", "" },
			{ "clang-format -i a.c; go-bindata x; gcc a.c; gcc b.c", "gcc" },
			{ "${RG_TEST_UNSET_CC:-cc} -O2 -fPIE -pie c/*.c", "cc" },
			{ "$RG_TEST_CC -O2 a.c && ${RG_TEST_CC} b.c", "clang-19" },
		};
		char names[256];
		size_t i;

		unsetenv("RG_TEST_UNSET_CC");
		setenv("RG_TEST_CC", "ccache clang-19", 1);

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			rg_toolchain_compilers(cases[i][0], names, sizeof(names));
			if (!strcmp(names, cases[i][1]))
				printf("ok - toolchain: compilers of '%s'\n", cases[i][0]);
			else {
				printf("not ok - toolchain: compilers of '%s': wanted '%s', got '%s'\n",
				       cases[i][0], cases[i][1], names);
				unit_failed++;
			}
		}
		unsetenv("RG_TEST_CC");
	}

	if (!mkdtemp(dir))
		return 1;
	rg_cache_init(&c, dir, 0);
	CHECK("cache: --cache-dir is used", !strcmp(c.dir, dir));
	CHECK("cache: miss when empty", rg_cache_get(&c, k1) == NULL);
	bin = cJSON_Parse("{\"path\":\"x\",\"metrics\":{\"file.size\":1234,\"relocs.total\":7}}");
	CHECK_EQ("cache: put", RG_OK, rg_cache_put(&c, k1, "app", bin, &err));
	got = rg_cache_get(&c, k1);
	CHECK("cache: get returns what was put",
	      got && cJSON_GetObjectItem(cJSON_GetObjectItem(got, "metrics"), "file.size") &&
	      cJSON_GetObjectItem(cJSON_GetObjectItem(got, "metrics"), "file.size")->valuedouble == 1234);
	cJSON_Delete(got);
	snprintf(path, sizeof(path), "%s/v1/%.2s/%s.json", dir, k1, k1);
	corrupt_cases(&c, k1, path);
	snprintf(path, sizeof(path), "%s/v1/%.2s/%s.json", dir, k1, k1);
	if ((f = fopen(path, "w"))) {
		fputs("{\"key\":\"", f);
		fclose(f);
	}
	CHECK("cache: a truncated entry is a miss", rg_cache_get(&c, k1) == NULL);
	CHECK_EQ("cache: put again over it", RG_OK, rg_cache_put(&c, k1, "app", bin, &err));
	snprintf(path, sizeof(path), "%s/v1/%.2s/%s.json", dir, k0, k0);
	if ((f = fopen(path, "w"))) { /* an entry filed under the wrong key */
		fputs("{\"key\":\"0000\",\"binary\":{\"metrics\":{}}}", f);
		fclose(f);
	}
	CHECK("cache: an entry whose key does not match is a miss", rg_cache_get(&c, k0) == NULL);
	rg_cache_init(&c, dir, 1);
	CHECK("cache: --no-cache disables", c.dir[0] == '\0' && rg_cache_get(&c, k1) == NULL);
	cJSON_Delete(bin);

	snprintf(path, sizeof(path), "%s/log", dir);
	if ((f = fopen(path, "w"))) {
		int i;
		for (i = 1; i <= 40; i++)
			fprintf(f, "line %d\n", i);
		fputs("last without newline", f);
		fclose(f);
	}
	tail = rg_file_tail(path, 3);
	CHECK("log tail: the last 3 lines", tail && !strcmp(tail, "line 39\nline 40\nlast without newline\n"));
	free(tail);
	tail = rg_file_tail("/nonexistent/log", 3);
	CHECK("log tail: unreadable gives empty", tail && !*tail);
	free(tail);
	CHECK_EQ("rmtree removes the directory", 0, rg_rmtree(dir));
	CHECK("rmtree: gone", access(dir, F_OK) != 0);
	rmtree_cases();
	rg_git2_unload();
	UNIT_DONE();
}

#!/bin/sh
# .github/actions/relgate/relgate.sh STEP - the shell steps of the relgate
# composite action (action.yml), one function per step so they can be run
# and tested outside a runner (tests/e2e/test_action_*.sh) with the same
# environment a runner gives: GITHUB_ACTIONS, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_EVENT_NAME, GITHUB_BASE_REF,
# GITHUB_REPOSITORY, GITHUB_API_URL, RUNNER_TEMP, plus the step's `env:`.
# Workflow commands (::error::, ::notice::) follow GitHub's "Workflow
# commands for GitHub Actions"; outputs are NAME=VALUE lines in
# $GITHUB_OUTPUT; the REST calls are "Issue comments" (list, create,
# update) of the GitHub REST API.
set -eu

root=$(cd "$(dirname "$0")/../../.." && pwd)
bindir=${RELGATE_BIN_DIR:-$HOME/.cache/relgate-bin}
relgate=${RELGATE:-$bindir/relgate}
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
marker='<!-- relgate-report -->'

output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }
notice() { printf '::notice title=relgate::%s\n' "$*"; }
error() { printf '::error title=relgate::%s\n' "$*"; }

# What relgate needs to build and run, nothing else (no Go: a project whose
# builds want it sets it up, e.g. actions/setup-go). Linux: the Debian/Ubuntu
# packages (scripts/setup.sh --relgate, idempotent). macOS: Homebrew's
# pkg-config, libgit2, libyaml and cJSON, only those missing (runner images
# carry Homebrew; Xcode's clang builds relgate).
step_setup() {
	if [ "$(uname -s)" = Darwin ]; then
		missing=""
		for f in pkg-config libgit2 libyaml cjson; do
			brew list --versions "$f" >/dev/null 2>&1 || missing="$missing $f"
		done
		if [ -n "$missing" ]; then
			echo "setup: brew install$missing" >&2
			# shellcheck disable=SC2086
			HOMEBREW_NO_AUTO_UPDATE=1 HOMEBREW_NO_INSTALL_CLEANUP=1 brew install $missing
		fi
	else
		sh "$root/scripts/setup.sh" --relgate
	fi
}

# The cache key of the relgate binary: its commit when the action runs from
# a git checkout of relgate, else a hash of the sources (actions downloaded
# by `uses: owner/relgate/...@ref` come without .git), and the version of
# the libgit2 it is built against: relgate loads only that major.minor
# (docs/gate.md "Loading libgit2"), so a runner image with another libgit2
# must rebuild it, not restore a binary that would refuse to start.
step_source_key() {
	if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" = "$root" ] &&
		key=$(git -C "$root" rev-parse HEAD 2>/dev/null) &&
		git -C "$root" diff --quiet HEAD -- Makefile parsers budgets gate 2>/dev/null; then
		:
	else
		key=src-$(cd "$root" && find Makefile parsers budgets gate -type f \
			\( -name '*.[ch]' -o -name Makefile \) 2>/dev/null | LC_ALL=C sort |
			xargs cat | cksum | tr ' ' -)
	fi
	git2=$(pkg-config --modversion libgit2 2>/dev/null) || git2=none
	output key "$key-libgit2-$git2"
	output libgit2 "$git2"
}

step_build() {
	make -C "$root" -j2 relgate
	mkdir -p "$bindir"
	cp "$root/relgate" "$bindir/relgate"
	"$bindir/relgate" --version
}

# Base and head commits. Pull requests: head is the PR's head commit (not
# the merge commit actions/checkout checks out), base its merge base with
# origin/$GITHUB_BASE_REF. Pushes: base is the previous tip
# (github.event.before). Needs full history: actions/checkout fetch-depth 0.
#
# trusted=true only for a run on the default branch that is not a pull
# request (a push, schedule or manual run of merged code): only such runs
# save the shared caches. A pull request - from a fork above all - runs
# code and builds chosen by its author, and whatever it stored would be
# restored by other runs (docs/security.md).
step_revisions() {
	case ${GITHUB_EVENT_NAME:-} in
	pull_request* ) trusted=false ;;
	*)
		if [ -n "${DEFAULT_BRANCH:-}" ] && [ "${GITHUB_REF:-}" = "refs/heads/$DEFAULT_BRANCH" ]; then
			trusted=true
		else
			trusted=false
		fi
		;;
	esac
	output trusted "$trusted"
	if [ -n "${INPUT_MERGE:-}" ]; then
		output base_tree merge
		return 0
	fi
	cd "${WORKDIR:-.}"
	if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
		error "shallow clone: relgate needs the base commit; use actions/checkout with fetch-depth: 0"
		exit 3
	fi
	head_in=${INPUT_HEAD:-${PR_HEAD_SHA:-HEAD}}
	head=$(git rev-parse --verify -q "$head_in^{commit}") || {
		error "head revision '$head_in' is not a commit here (fetch-depth: 0?)"
		exit 3
	}
	base=""
	if [ -n "${INPUT_BASE:-}" ]; then
		base=$(git rev-parse --verify -q "$INPUT_BASE^{commit}") || {
			error "base revision '$INPUT_BASE' is not a commit here (fetch-depth: 0?)"
			exit 3
		}
	elif [ -n "${GITHUB_BASE_REF:-}" ]; then
		ref=refs/remotes/origin/$GITHUB_BASE_REF
		git rev-parse -q --verify "$ref" >/dev/null ||
			git fetch -q --no-tags origin "+refs/heads/$GITHUB_BASE_REF:$ref" || true
		base=$(git merge-base "$ref" "$head") || {
			error "no merge base between $GITHUB_BASE_REF and $head (fetch-depth: 0?)"
			exit 3
		}
	elif [ -n "${PUSH_BEFORE:-}" ] && case $PUSH_BEFORE in *[!0]*) true ;; *) false ;; esac &&
		git rev-parse -q --verify "$PUSH_BEFORE^{commit}" >/dev/null; then
		base=$(git rev-parse "$PUSH_BEFORE^{commit}")
	else
		base=$(git rev-parse -q --verify "$head^" 2>/dev/null) || base=""
	fi
	output head "$head"
	output base "$base"
	output head_tree "$(git rev-parse "$head^{tree}")"
	if [ -n "$base" ]; then
		output base_tree "$(git rev-parse "$base^{tree}")"
	else
		output base_tree none
	fi
}

# The metrics CI published (docs/notes.md), fetched before the check so a
# published base is not built. A repository without the ref is fine.
step_fetch_notes() {
	cd "${WORKDIR:-.}"
	ref=${NOTES_REF:-refs/notes/relgate}
	if git fetch -q --no-tags origin "+$ref:$ref" 2>"$tmp/notes-fetch.err"; then
		output notes "$(git rev-parse -q --verify "$ref" || echo none)"
	else
		notice "no $ref on origin yet: every base is built (publish from the default branch to share metrics)"
		output notes none
	fi
}

# Default branch only: write the judged head's metrics (from the cache the
# check just filled) into the notes ref and push it. relgate publish itself
# refuses pull-request events.
step_publish() {
	cd "${WORKDIR:-.}"
	ref=${NOTES_REF:-refs/notes/relgate}
	"$relgate" publish --cache-dir "${RELGATE_CACHE_DIR:-$HOME/.cache/relgate}" \
		${HEAD_COMMIT:+"$HEAD_COMMIT"}
	n=0
	until git push -q origin "$ref"; do
		n=$((n + 1))
		if [ "$n" -ge 3 ]; then
			error "could not push $ref (contents: write needed; or concurrent publishers)"
			exit 1
		fi
		# Another runner published meanwhile: merge its entries (one line
		# each, docs/notes.md) and try again.
		git fetch -q origin "+$ref:$ref-remote" &&
			git notes --ref "$ref" merge -q -s cat_sort_uniq "$ref-remote"
	done
	output published "$(git rev-parse "$ref")"
}

# relgate check (or merge): with GITHUB_ACTIONS=true relgate itself prints
# the annotations and writes $GITHUB_STEP_SUMMARY and status/failed/warned/
# report to $GITHUB_OUTPUT. The exit code is kept as an output so the
# artifact and comment steps still run; the verdict step fails the job.
step_check() {
	json=$tmp/relgate-report.json
	md=$tmp/relgate-summary.md
	errf=$tmp/relgate-stderr.log
	rcf=$tmp/relgate-rc
	rm -f "$json" "$md" "$rcf"
	if [ -n "${INPUT_MERGE:-}" ]; then
		# shellcheck disable=SC2086 # the glob is meant to expand
		set -- merge --json-out "$json" --markdown-out "$md" $INPUT_MERGE
	else
		cd "${WORKDIR:-.}"
		set -- check --cache-dir "${RELGATE_CACHE_DIR:-$HOME/.cache/relgate}" \
			--json-out "$json" --markdown-out "$md"
		[ -n "${HEAD_COMMIT:-}" ] && set -- "$@" --head "$HEAD_COMMIT"
		[ -n "${BASE:-}" ] && set -- "$@" --base "$BASE"
		for t in ${INPUT_TARGETS:-}; do set -- "$@" --target "$t"; done
		# shellcheck disable=SC2086 # extra arguments are word-split
		set -- "$@" ${INPUT_ARGS:-}
	fi
	# stderr stays live in the log and is kept for the error annotation.
	# (set -e would stop the group at a failing relgate: keep its status.)
	{ { "$relgate" "$@" 2>&1 1>&3 3>&- && echo 0 >"$rcf" || echo $? >"$rcf"; } |
		tee "$errf" >&2; } 3>&1
	rc=$(cat "$rcf" 2>/dev/null || echo 2)
	output exit-code "$rc"
	[ -s "$json" ] && output json "$json"
	[ -s "$md" ] && output markdown "$md"
	case $rc in
	0 | 1) ;;
	*)
		error "relgate $1 failed (exit $rc): $(grep -v '^\[' "$errf" | tail -n 1)"
		if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
			{
				echo "### relgate: could not judge (exit $rc)"
				echo
				echo '```'
				tail -n 20 "$errf"
				echo '```'
			} >>"$GITHUB_STEP_SUMMARY"
		fi
		;;
	esac
	return 0
}

# api METHOD URL [BODY_FILE]: curl to the REST API; body in $tmp/api.out,
# HTTP status on stdout.
api() {
	set -- -sS -o "$tmp/api.out" -w '%{http_code}' -X "$1" \
		-H "Authorization: Bearer $GH_TOKEN" \
		-H 'Accept: application/vnd.github+json' \
		-H 'X-GitHub-Api-Version: 2022-11-28' "$2" ${3:+--data-binary "@$3"}
	curl "$@" || echo 000
}

# One sticky comment: find ours by its marker line and update it, else
# create it. A token that cannot write (pull requests from forks get a
# read-only one) only gives a notice: the summary and annotations remain.
step_comment() {
	if [ -z "${PR_NUMBER:-}" ]; then
		notice "not a pull request: no comment"
		return 0
	fi
	if [ -z "${GH_TOKEN:-}" ]; then
		notice "no token: no pull-request comment (the job summary has the report)"
		return 0
	fi
	if ! command -v curl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
		notice "curl or python3 missing: no pull-request comment (the job summary has the report)"
		return 0
	fi
	base_url=${GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY
	{ echo "$marker"; cat "$MARKDOWN"; } |
		python3 -c 'import json,sys; json.dump({"body": sys.stdin.read()}, sys.stdout)' \
			>"$tmp/comment.json"
	id="" page=1
	while [ "$page" -le 20 ] && [ -z "$id" ]; do
		code=$(api GET "$base_url/issues/$PR_NUMBER/comments?per_page=100&page=$page")
		[ "$code" = 200 ] || break
		id=$(python3 - "$tmp/api.out" "$marker" <<'PY'
import json, sys
items = json.load(open(sys.argv[1]))
print(next((str(c["id"]) for c in items if sys.argv[2] in (c.get("body") or "")), ""))
if not items:
    sys.exit(3)
PY
) || break
		page=$((page + 1))
	done
	if [ -n "$id" ]; then
		code=$(api PATCH "$base_url/issues/comments/$id" "$tmp/comment.json")
	else
		code=$(api POST "$base_url/issues/$PR_NUMBER/comments" "$tmp/comment.json")
	fi
	case $code in
	200 | 201) output comment-id "${id:-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/api.out")}" ;;
	401 | 403 | 404) notice "the token cannot comment on this pull request (HTTP $code; a fork?): the job summary has the report" ;;
	*) printf '::warning title=relgate::pull-request comment failed (HTTP %s)\n' "$code" ;;
	esac
}

step_verdict() {
	rc=${EXIT_CODE:-}
	case $rc in
	0) exit 0 ;;
	1)
		if [ "${FAIL_ON_BREACH:-true}" = false ]; then
			notice "a budget was exceeded (fail-on-breach: false)"
			exit 0
		fi
		echo "relgate: a budget was exceeded" >&2
		exit 1
		;;
	'')
		echo "relgate: the check did not run" >&2
		exit 2
		;;
	*) exit "$rc" ;;
	esac
}

case ${1:-} in
setup) step_setup ;;
source-key) step_source_key ;;
build) step_build ;;
revisions) step_revisions ;;
fetch-notes) step_fetch_notes ;;
publish) step_publish ;;
check) step_check ;;
comment) step_comment ;;
verdict) step_verdict ;;
*)
	echo "usage: relgate.sh setup|source-key|build|revisions|fetch-notes|check|publish|comment|verdict" >&2
	exit 2
	;;
esac

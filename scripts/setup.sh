#!/bin/sh
# scripts/setup.sh [--tests | --relgate] - installs what relgate needs on
# Debian 12 (as root, or with sudo): the build's libraries and Go for the
# bundled example, with --tests also the toolchains and oracle tools the
# tests use, with --relgate only what relgate itself needs to build and run
# (the GitHub Action's setup: a project's own toolchains are its business).
# Idempotent: prints nothing and installs nothing when all is present. On
# macOS it prints the Homebrew line.
set -eu

# chromium: tests render the HTML report headless (tests/e2e/test_report_html.sh);
# with cmark-gfm, pngquant and an emoji font it makes the README screenshots
# (scripts/screenshots.sh).
# golang-go: the bundled example cross-builds a Go program for darwin/arm64.
# chromium, cmark-gfm: the PR comment rendered as GitHub shows it, measured
# at 880 px (tests/md_page.py); python3-jsonschema: the JSON schemas in docs/;
# tmux: the terminal report read in a 100x30 pane; strace: builds are waited
# for without sleeping (tests/e2e/test_check_wait.sh).
RELGATE_PKGS="build-essential pkg-config git libgit2-dev libyaml-dev libcjson-dev"
BUILD_PKGS="$RELGATE_PKGS golang-go"
TEST_PKGS="clang clang-19 lld-19 llvm-19 rustc libclang-rt-14-dev binutils python3 file python3-yaml binutils-mingw-w64-x86-64 binutils-mingw-w64-i686 curl pre-commit chromium fonts-dejavu-core cmark-gfm pngquant fonts-noto-color-emoji fonts-liberation python3-jsonschema tmux strace"

want=$BUILD_PKGS
[ "${1:-}" = "--tests" ] && want="$BUILD_PKGS $TEST_PKGS"
[ "${1:-}" = "--relgate" ] && want=$RELGATE_PKGS

if ! command -v apt-get >/dev/null 2>&1; then
	if [ "$(uname -s)" = Darwin ]; then
		echo "setup: on macOS run: brew install pkg-config libgit2 libyaml cjson" >&2
	else
		echo "setup: no apt-get; install pkg-config and the development files of libgit2, libyaml and cJSON" >&2
	fi
	exit 0
fi

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "setup: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

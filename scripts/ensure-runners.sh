#!/bin/sh
# Install the test runners the trace tests run for real when they are missing:
# Go and gotestsum from Debian (golang-go, gotestsum); Node.js 20 or later is
# expected to be there already (nodejs). Needs root (as in CI); outside CI the
# tests that need a missing runner are skipped with the reason, in CI (CI set) they fail.
missing=""
command -v go >/dev/null 2>&1 || missing="$missing golang-go"
command -v gotestsum >/dev/null 2>&1 || missing="$missing gotestsum"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
if [ -z "$missing" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test runners:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || echo "could not install$missing; the trace tests that need them are skipped (or fail in CI)"
else
  echo "missing$missing and not root: the trace tests that need them are skipped (or fail in CI)"
fi
exit 0

#!/bin/sh
# Install Debian's Chromium for the JupyterLab browser tests when it is missing.
# Needs root (as in CI); elsewhere the browser tests are skipped with a reason.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; browser tests will be skipped"
else
  echo "no /usr/bin/chromium and not root: browser tests will be skipped (apt-get install chromium to run them)"
fi
exit 0

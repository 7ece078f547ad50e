#!/bin/sh
# Install Debian's Chromium for the JupyterLab browser test when it is missing.
# Needs root (as in CI). Without Chromium the browser test is skipped, or fails
# when CGPLAN_REQUIRE_BROWSER=1 (set by .ci/run), so CI never passes without it.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "${CGPLAN_REQUIRE_BROWSER:-}" = "1" ]; then
  missing="the browser test will fail (CGPLAN_REQUIRE_BROWSER=1)"
else
  missing="the browser test will be skipped"
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; $missing"
else
  echo "no /usr/bin/chromium and not root: $missing (apt-get install chromium to run it)"
fi
exit 0

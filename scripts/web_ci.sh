#!/usr/bin/env bash
# Installs what the browser tests of the web app need: Debian's Chromium and the Playwright
# python package (its own browser download is never used: the tests point Playwright at
# /usr/bin/chromium). Safe to run more than once; a failure here only makes the browser tests skip.
set -uo pipefail

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || echo "web_ci: apt-get update failed" >&2
    apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null 2>&1 \
      || echo "web_ci: could not install chromium; browser tests will be skipped" >&2
  else
    echo "web_ci: no /usr/bin/chromium and no root apt-get; browser tests will be skipped" >&2
  fi
fi

if ! python -c "import playwright.sync_api" >/dev/null 2>&1; then
  # the version pinned in requirements-dev.lock (installed again, hash-checked, by .ci/run)
  pin=$(grep -E '^playwright==' requirements-dev.lock 2>/dev/null | head -1 | cut -d' ' -f1)
  python -m pip install -q "${pin:-playwright}" >/dev/null 2>&1 \
    || echo "web_ci: could not install playwright; browser tests will be skipped" >&2
fi

mkdir -p artifacts/screenshots
if [ -x /usr/bin/chromium ]; then
  echo "web_ci: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
fi
exit 0

#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_browser.py).
#
# The tests drive /usr/bin/chromium through Playwright; Playwright's own browser
# download is not used. Does nothing when Chromium is already there, and never
# fails the caller: without a browser the browser tests skip and say why.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: apt-get not found; install Chromium at $CHROMIUM by hand to run the browser tests" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-browser: not root and no password-less sudo; the browser tests will skip" >&2
        exit 0
    fi
fi

echo "install-browser: installing Debian's chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
    echo "install-browser: $($CHROMIUM --version 2>/dev/null || echo "chromium installed at $CHROMIUM")"
else
    echo "install-browser: apt-get could not install chromium; the browser tests will skip" >&2
fi
exit 0

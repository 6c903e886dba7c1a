#!/usr/bin/env bash
# Installs the headless Chromium the browser test drives (Debian's `chromium` package; playwright-core
# itself comes with `npm install`). Safe to run again: it does nothing when Chromium is there.
set -euo pipefail

# Emoji are half of the bot's buttons: without a colour emoji font Chromium draws empty boxes.
packages='chromium fonts-noto-color-emoji'
if command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi emoji; then
  echo "chromium: $("${CHROMIUM_PATH:-chromium}" --version 2>/dev/null | head -n1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No chromium and no apt-get: install Chromium yourself and set CHROMIUM_PATH to its binary." >&2
  exit 1
fi
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
echo "installing Debian's $packages (for the browser test)"
$sudo apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "chromium: $(chromium --version 2>/dev/null | head -n1)"

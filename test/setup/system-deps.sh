#!/usr/bin/env bash
# Finds (or, on Debian/Ubuntu as root, installs) what the test suite needs outside npm:
# Chromium for Playwright, and gnome-keyring + D-Bus to test the OS keychain for real.
# Anywhere else it stops with one line naming what to install. Nothing is skipped silently.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || need+=(libsecret-tools)
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing test prerequisites with apt-get: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi
echo "Missing test prerequisites: install ${need[*]} (Debian/Ubuntu: sudo apt-get install ${need[*]})." >&2
exit 1

#!/usr/bin/env bash
# `npm test`: format check, lint, typecheck, renderer build, unit + integration (with a real unlocked OS keychain), end-to-end.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash test/setup/system-deps.sh

echo "== format"; npx prettier --check . --log-level warn
echo "== lint"; npx eslint . --max-warnings 0
echo "== typecheck"; npx tsc --noEmit -p tsconfig.json && npx tsc --noEmit -p tsconfig.renderer.json

# Built before the tests: browser-mode tests (npm start, serve, end-to-end) serve it.
echo "== renderer build"; npx vite build --logLevel warn

# The keychain is exercised for real in a private D-Bus session with an unlocked gnome-keyring and a
# temporary HOME; never under an X display with a locked keyring (it opens a prompt and hangs).
echo "== unit and integration tests"
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
HOME="$keyring_home" PROVISIONDESK_KEYCHAIN_TESTS=1 timeout 1200 dbus-run-session -- sh -c \
  'echo -n provisiondesk | gnome-keyring-daemon --unlock --components=secrets >/dev/null && npx vitest run'

echo "== end-to-end (Chromium, browser mode)"; npx playwright test

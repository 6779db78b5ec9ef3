#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keychain tests use a
# real Secret Service without touching the user's own keyring. Outside CI, when the tools are missing,
# the command runs as is and the keychain tests say why they cannot run.
set -euo pipefail
if [[ "${SPM_IN_KEYRING:-}" == "1" ]]; then exec "$@"; fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "CI needs dbus-run-session and gnome-keyring-daemon (apt-get install dbus gnome-keyring)" >&2
    exit 1
  fi
  echo "note: dbus/gnome-keyring not installed; keychain tests will be skipped (see README)" >&2
  exec "$@"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/cache" "$tmp/data"
export SPM_KEYRING_HOME="$tmp"
exec env -u XDG_RUNTIME_DIR HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/data" \
  SPM_IN_KEYRING=1 SPM_KEYRING_AVAILABLE=1 \
  dbus-run-session -- bash -c '
    printf "spm-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
    for i in $(seq 1 50); do
      if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then break; fi
      sleep 0.1
    done
    exec "$@"' bash "$@"

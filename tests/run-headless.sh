#!/usr/bin/env bash
# Runs ctest in BUILD_DIR the way CI does: offscreen Qt, a fresh temporary HOME and XDG
# folders, a private D-Bus session with an unlocked gnome-keyring, so that the real
# keychain is used and no earlier run's state leaks in.
#
#   tests/run-headless.sh BUILD_DIR [ctest arguments...]
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [ctest args]}" && pwd)
shift

scratch=$(mktemp -d -t parley-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"

export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"
export QT_QPA_PLATFORM=offscreen
export PARLEY_TEST_SCRATCH="$scratch"
# Prism (contract tests) is installed once per build tree, outside the throw-away HOME.
export PRISM_HOME="${PRISM_HOME:-$build/prism}"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

jobs=$(nproc 2>/dev/null || echo 2)
cd "$build"
exec dbus-run-session -- sh -c '
  echo -n parley-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec ctest --output-on-failure -j "$0" "$@"' "$jobs" "$@"

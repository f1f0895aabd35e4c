#!/usr/bin/env bash
# Installs what Parley needs to build, run and test on Debian bookworm (or a
# derivative), and nothing that is already there. Uses sudo when not root.
#
#   packaging/install-deps.sh            build + run dependencies
#   packaging/install-deps.sh --test     also the headless test tools
set -euo pipefail

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
  qtkeychain-qt6-dev qt6-tools-dev qt6-l10n-tools libqt6sql6-sqlite
  libqt6svg6 qt6-qpa-plugins
  gnome-keyring libsecret-tools dbus dbus-x11 xvfb xauth
)
if [[ $want_test -eq 1 ]]; then
  # openssl: tst_transport_security makes its throwaway certificates at test time.
  packages+=(clang-14 libclang-rt-14-dev imagemagick openssl)
  # Prism (contract tests) runs on Node.js; a node that came from elsewhere is fine.
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

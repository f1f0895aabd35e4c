#!/usr/bin/env bash
# The two commands of the README's quick start.
#
#   packaging/quickstart.sh demo   install what is missing, build, run `parley --demo`
#   packaging/quickstart.sh test   install what is missing, build (warnings are errors),
#                                  run the whole suite headless
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)
case "${1:-}" in
demo)
    packaging/install-deps.sh
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs"
    exec build/release/ui/parley --demo "${@:2}"
    ;;
test)
    packaging/install-deps.sh --test
    cmake --preset ci >/dev/null
    cmake --build --preset ci -j "$jobs"
    # Prism for the contract tests, installed once per build tree before any test runs
    # (tests/run-headless.sh points PRISM_HOME there).
    prism_home=${PRISM_HOME:-build/ci/prism}
    if [[ ! -x $prism_home/node_modules/.bin/prism ]]; then
        npm install --silent --no-audit --no-fund --prefix "$prism_home" @stoplight/prism-cli@5
    fi
    exec tests/run-headless.sh build/ci "${@:2}"
    ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# The two commands of the README's quick start.
#
#   packaging/quickstart.sh demo   install what is missing, build, run `parley --demo`
#   packaging/quickstart.sh test   install what is missing, build (warnings are errors),
#                                  run the whole suite headless, again under ASan+UBSan,
#                                  then a short run of every fuzz target; it ends by
#                                  listing every skipped test with its reason
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)

# The skips of every stage whose tests ran (tests/skipped-tests.sh), printed when the
# script ends, whether the tests passed or not; a skip never changes the exit status.
skips=""
run_tests() { # STAGE BUILD_DIR COMMAND...: runs COMMAND (a ctest run), then notes its skips
    local stage=$1 dir=$2 status=0
    shift 2
    rm -f "$dir/Testing/Temporary/LastTest.log"
    "$@" || status=$?
    [[ -n $skips ]] || skips=$(mktemp -t parley-skips.XXXXXX)
    tests/skipped-tests.sh "$stage" "$dir" >>"$skips"
    return "$status"
}
report_skips() {
    [[ -n $skips ]] || return 0
    if [[ -s $skips ]]; then
        echo "== quickstart: skipped tests ($(wc -l <"$skips")), each with its reason" >&2
        cat "$skips" >&2
    else
        echo "== quickstart: no skipped tests" >&2
    fi
    rm -f "$skips"
}
case "${1:-}" in
demo)
    packaging/install-deps.sh
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$jobs"
    exec build/release/ui/parley --demo "${@:2}"
    ;;
test)
    # Three stages, all by default: ci (the -Werror build and the whole suite), asan (the
    # whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer) and fuzz (a
    # short run of every libFuzzer target). PARLEY_TEST_STAGES="ci" picks a subset.
    stages=${PARLEY_TEST_STAGES:-ci asan fuzz}
    trap report_skips EXIT
    packaging/install-deps.sh --test
    # Prism for the contract tests, installed once before any test runs
    # (tests/run-headless.sh finds it through PRISM_HOME).
    export PRISM_HOME=${PRISM_HOME:-$PWD/build/prism}
    if [[ ! -x $PRISM_HOME/node_modules/.bin/prism ]]; then
        npm install --silent --no-audit --no-fund --prefix "$PRISM_HOME" @stoplight/prism-cli@5
    fi
    for stage in $stages; do
        echo "== quickstart: stage $stage" >&2
        case $stage in
        ci | asan)
            cmake --preset "$stage" >/dev/null
            cmake --build --preset "$stage" -j "$jobs"
            # The sanitizer stage leaves out the tests labelled heavy or soak
            # (tests/CMakeLists.txt).
            lean=()
            [[ $stage == asan ]] && lean=(-LE 'heavy|soak')
            run_tests "$stage" "build/$stage" tests/run-headless.sh "build/$stage" "${lean[@]}" "${@:2}"
            ;;
        fuzz)
            cmake --preset fuzz >/dev/null
            cmake --build --preset fuzz -j "$jobs"
            run_tests fuzz build/fuzz ctest --test-dir build/fuzz -L fuzz -j "$jobs" \
                --output-on-failure
            ;;
        *)
            echo "quickstart: unknown stage '$stage' (ci, asan, fuzz)" >&2
            exit 2
            ;;
        esac
    done
    ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac

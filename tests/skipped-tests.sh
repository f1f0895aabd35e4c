#!/usr/bin/env bash
# Prints every Qt Test skip (QSKIP) of the last ctest run in BUILD_DIR, one line each:
#
#   [STAGE] ctest-test-name: TestClass::function(row) reason
#
# ctest keeps the whole output of every test, passed ones included, in
# BUILD_DIR/Testing/Temporary/LastTest.log; Qt Test writes a skip there as "SKIP   : ...".
# Prints nothing when nothing was skipped (or no tests ran); never fails on a skip.
#
#   tests/skipped-tests.sh STAGE BUILD_DIR
set -euo pipefail
stage=${1:?usage: $0 STAGE BUILD_DIR}
log="${2:?usage: $0 STAGE BUILD_DIR}/Testing/Temporary/LastTest.log"
[[ -f $log ]] || exit 0
# "3/40 Testing: tst_cli" opens the output of the test named tst_cli.
awk -v stage="$stage" '
    /^[0-9]+\/[0-9]+ Testing: / { test = $3; next }
    /^SKIP   : / { sub(/^SKIP   : /, ""); printf "  [%s] %s: %s\n", stage, test, $0 }
' "$log"

# Checks tests/skipped-tests.sh on a ctest log written here: each QSKIP line is listed with
# its ctest test, a failure or a passing line is not, and a build folder without a log
# lists nothing.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -P tests/skipped-tests-check.cmake
set(log_dir "${WORK_DIR}/skipped-tests-check/Testing/Temporary")
file(REMOVE_RECURSE "${WORK_DIR}/skipped-tests-check")
file(MAKE_DIRECTORY "${log_dir}")
file(WRITE "${log_dir}/LastTest.log" [[
Start testing: Jan 01 00:00 UTC
----------------------------------------------------------
1/3 Testing: tst_alpha
1/3 Test: tst_alpha
Command: "/b/tests/tst_alpha"
Output:
----------------------------------------------------------
PASS   : TestAlpha::initTestCase()
SKIP   : TestAlpha::needsTool(row one) the frobnicate command is missing: apt-get install frob
   Loc: [/s/tests/tst_alpha.cpp(12)]
PASS   : TestAlpha::cleanupTestCase()
<end of output>
Test time =   0.01 sec
----------------------------------------------------------
Test Passed.
"tst_alpha" end time: Jan 01 00:00 UTC
----------------------------------------------------------

2/3 Testing: tst_beta
2/3 Test: tst_beta
Output:
----------------------------------------------------------
FAIL!  : TestBeta::broken() 'false' returned FALSE. (SKIP   : is not at the start)
<end of output>
Test Failed.
----------------------------------------------------------

3/3 Testing: conformance_echo
3/3 Test: conformance_echo
Output:
----------------------------------------------------------
SKIP   : TestConformance::initTestCase() no echo server
<end of output>
Test Passed.
]])

execute_process(COMMAND "${SOURCE_DIR}/tests/skipped-tests.sh" ci "${WORK_DIR}/skipped-tests-check"
                OUTPUT_VARIABLE listed RESULT_VARIABLE status)
set(expected [[  [ci] tst_alpha: TestAlpha::needsTool(row one) the frobnicate command is missing: apt-get install frob
  [ci] conformance_echo: TestConformance::initTestCase() no echo server
]])
if(NOT status EQUAL 0 OR NOT listed STREQUAL expected)
    message(FATAL_ERROR "skipped-tests.sh exited ${status} and listed:\n${listed}\n"
                        "expected:\n${expected}")
endif()

file(REMOVE "${log_dir}/LastTest.log")
execute_process(COMMAND "${SOURCE_DIR}/tests/skipped-tests.sh" ci "${WORK_DIR}/skipped-tests-check"
                OUTPUT_VARIABLE listed RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT listed STREQUAL "")
    message(FATAL_ERROR "without a log skipped-tests.sh exited ${status} and listed:\n${listed}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}/skipped-tests-check")

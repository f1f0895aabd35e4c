# The structural rules the redesign of issue 11 established, checked on every test run:
#   cmake -DSOURCE_DIR=<repository root> -P tests/lint/HouseRules.cmake
# 1. No .cpp/.h line under app/ or ui/ outside app/providers/<p>/ and app/sandbox/<p>/ holds
#    the string literal of a platform id ("<p>"), comments aside. The ids are the folders
#    under app/providers/ (and any test-only platform under tests/platforms/).
# 2. No file under ui/ includes a provider header other than the registry and capabilities.
# 3. ui/MainWindow.cpp stays under 500 lines.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
    message(FATAL_ERROR "pass -DSOURCE_DIR=<repository root>")
endif()

set(problems)

file(GLOB platform_dirs LIST_DIRECTORIES true "${SOURCE_DIR}/app/providers/*"
     "${SOURCE_DIR}/tests/platforms/*")
set(ids)
foreach(dir ${platform_dirs})
    if(IS_DIRECTORY "${dir}")
        get_filename_component(id "${dir}" NAME)
        list(APPEND ids ${id})
    endif()
endforeach()
list(LENGTH ids id_count)
if(id_count LESS 5)
    list(APPEND problems "found only ${id_count} platform folders (${ids}): is SOURCE_DIR right?")
endif()

file(GLOB_RECURSE sources "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
     "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h")
foreach(file ${sources})
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${file}")
    file(STRINGS "${file}" lines)
    foreach(id ${ids})
        if(rel MATCHES "^app/(providers|sandbox)/${id}/")
            continue()
        endif()
        set(number 0)
        foreach(line IN LISTS lines)
            math(EXPR number "${number} + 1")
            # Comments aside: what follows // (and whole /* */ or * comment lines).
            string(REGEX REPLACE "//.*$" "" code "${line}")
            if(code MATCHES "^[ \t]*\\*")
                continue()
            endif()
            string(FIND "${code}" "\"${id}\"" at)
            if(at GREATER -1)
                list(APPEND problems "${rel}:${number}: the platform id \"${id}\" outside its folders")
            endif()
        endforeach()
    endforeach()
    if(rel MATCHES "^ui/")
        foreach(line IN LISTS lines)
            if(line MATCHES "^#include \"providers/([^\"]+)\"")
                set(header "${CMAKE_MATCH_1}")
                if(NOT header MATCHES "^(ProviderRegistry|Capabilities)\\.h$")
                    list(APPEND problems "${rel}: includes providers/${header}")
                endif()
            endif()
        endforeach()
    endif()
endforeach()

file(READ "${SOURCE_DIR}/ui/MainWindow.cpp" window_text)
string(REGEX MATCHALL "\n" newlines "${window_text}")
list(LENGTH newlines window_count)
if(window_count GREATER_EQUAL 500)
    list(APPEND problems "ui/MainWindow.cpp has ${window_count} lines (the limit is 499)")
endif()

if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "house rules broken:\n  ${text}")
endif()
message(STATUS "house rules hold: ${id_count} platforms (${ids}), MainWindow.cpp ${window_count} lines")

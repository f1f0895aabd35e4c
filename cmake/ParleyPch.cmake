# Precompiled Qt headers (PARLEY_PCH, on by default). Almost every source parses the same
# Qt headers; a precompiled header parses them once. The test programs are one source each,
# so a header of their own would cost more than it saves: they share one built by a host
# target whose compile flags are theirs (GCC and clang refuse a header built with other
# macros; GCC says so under -Winvalid-pch, which -Werror makes an error in the ci preset).
#
# With ccache a precompiled header needs, in ccache.conf:
#   sloppiness = pch_defines,time_macros,include_file_mtime,include_file_ctime

# What most sources include, by the Qt module that provides it.
set(parley_pch_core <memory> <optional> <functional> <QByteArray> <QCoreApplication>
    <QDateTime> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject> <QList> <QObject>
    <QPointer> <QRegularExpression> <QSet> <QString> <QStringList> <QTimer> <QUrl> <QUuid>)
set(parley_pch_network <QNetworkAccessManager> <QNetworkReply>)
set(parley_pch_test <QTest> <QSignalSpy> <QAbstractItemModelTester> <QFile> <QTemporaryDir>)
set(parley_pch_widgets <QWidget> <QLabel> <QLineEdit> <QPushButton> <QHBoxLayout>
    <QVBoxLayout>)

# `host` builds a precompiled header of the given lists (core, network, test, widgets).
function(parley_pch_host host)
    if(NOT PARLEY_PCH)
        return()
    endif()
    set(headers)
    foreach(part ${ARGN})
        list(APPEND headers ${parley_pch_${part}})
    endforeach()
    target_precompile_headers(${host} PRIVATE ${headers})
endfunction()

# `target` uses the header `host` built; its compile flags must be the host's.
function(parley_pch_reuse target host)
    if(NOT PARLEY_PCH)
        return()
    endif()
    target_precompile_headers(${target} REUSE_FROM ${host})
endfunction()

# A target that exists only to build a precompiled header for targets that link `ARGN`
# (and nothing else of its own): an object library of one empty source.
function(parley_pch_host_for host)
    cmake_parse_arguments(arg "" "" "HEADERS;LINKS" ${ARGN})
    if(NOT PARLEY_PCH)
        return()
    endif()
    set(src "${CMAKE_CURRENT_BINARY_DIR}/${host}.cpp")
    file(CONFIGURE OUTPUT "${src}" CONTENT "// the precompiled header's host\n")
    add_library(${host} OBJECT "${src}")
    target_link_libraries(${host} PRIVATE ${arg_LINKS})
    parley_pch_host(${host} ${arg_HEADERS})
endfunction()

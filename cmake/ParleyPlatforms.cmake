# Platforms are folders. A platform <p> is a provider folder (<root>/<providers>/<p>/) and an
# emulation folder (<root>/<sandboxes>/<p>/); each becomes a static library that registers
# itself at static initialisation (PARLEY_REGISTER_PLATFORM, PARLEY_REGISTER_SANDBOX). Nothing
# lists the platforms: the folders are found here, and the libraries are linked whole so
# that the linker keeps their registration (a static library's object that nothing calls is
# otherwise dropped).

# Adds parley_provider_<p> and parley_sandbox_<p> for every folder found, and sets
# `${out}_providers`, `${out}_sandboxes` (the library names, linked whole) and `${out}_ids`
# (the platform ids, i.e. the folder names) in the caller's scope.
function(parley_platform_folders out providers_dir sandboxes_dir)
    set(ids)
    set(providers)
    set(sandboxes)
    file(GLOB entries LIST_DIRECTORIES true CONFIGURE_DEPENDS "${providers_dir}/*")
    foreach(dir ${entries})
        if(NOT IS_DIRECTORY "${dir}")
            continue()
        endif()
        get_filename_component(id "${dir}" NAME)
        file(GLOB psrc CONFIGURE_DEPENDS "${dir}/*.cpp" "${dir}/*.h")
        if(NOT psrc)
            continue()
        endif()
        list(APPEND ids ${id})
        add_library(parley_provider_${id} STATIC ${psrc})
        target_link_libraries(parley_provider_${id} PRIVATE parley_warnings PUBLIC parley_providers)
        list(APPEND providers "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_provider_${id}>")
        file(GLOB ssrc CONFIGURE_DEPENDS "${sandboxes_dir}/${id}/*.cpp" "${sandboxes_dir}/${id}/*.h")
        if(ssrc)
            add_library(parley_sandbox_${id} STATIC ${ssrc})
            target_link_libraries(parley_sandbox_${id} PRIVATE parley_warnings
                                  PUBLIC parley_sandbox_base)
            list(APPEND sandboxes "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_sandbox_${id}>")
        endif()
    endforeach()
    set(${out}_ids ${ids} PARENT_SCOPE)
    set(${out}_providers ${providers} PARENT_SCOPE)
    set(${out}_sandboxes ${sandboxes} PARENT_SCOPE)
endfunction()

# Test-only platforms: each folder <root>/<p>/ holds provider/ and sandbox/, built as
# parley_provider_<p> and parley_sandbox_<p> like the app's. Sets the same three variables
# as parley_platform_folders; nothing links them unless a target lists `${out}_providers`
# and `${out}_sandboxes` (the test binaries that check every platform).
function(parley_test_platform_folders out root)
    set(ids)
    set(providers)
    set(sandboxes)
    file(GLOB entries LIST_DIRECTORIES true CONFIGURE_DEPENDS "${root}/*")
    foreach(dir ${entries})
        file(GLOB psrc CONFIGURE_DEPENDS "${dir}/provider/*.cpp" "${dir}/provider/*.h")
        if(NOT IS_DIRECTORY "${dir}" OR NOT psrc)
            continue()
        endif()
        get_filename_component(id "${dir}" NAME)
        list(APPEND ids ${id})
        add_library(parley_provider_${id} STATIC ${psrc})
        target_link_libraries(parley_provider_${id} PRIVATE parley_warnings PUBLIC parley_providers)
        list(APPEND providers "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_provider_${id}>")
        file(GLOB ssrc CONFIGURE_DEPENDS "${dir}/sandbox/*.cpp" "${dir}/sandbox/*.h")
        if(ssrc)
            add_library(parley_sandbox_${id} STATIC ${ssrc})
            target_link_libraries(parley_sandbox_${id} PRIVATE parley_warnings
                                  PUBLIC parley_sandbox_base)
            list(APPEND sandboxes "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_sandbox_${id}>")
        endif()
    endforeach()
    set(${out}_ids ${ids} PARENT_SCOPE)
    set(${out}_providers ${providers} PARENT_SCOPE)
    set(${out}_sandboxes ${sandboxes} PARENT_SCOPE)
endfunction()

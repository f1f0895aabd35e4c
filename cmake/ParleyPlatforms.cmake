# Platforms are folders. A platform <p> is a provider folder and an emulation folder; each
# becomes a static library that registers itself at static initialisation
# (PARLEY_REGISTER_PLATFORM, PARLEY_REGISTER_SANDBOX). Nothing lists the platforms: the
# folders are found here, and the libraries are linked whole so that the linker keeps their
# registration (a static library's object that nothing calls is otherwise dropped).

# One platform: parley_provider_<id> from `provider_dir`, parley_sandbox_<id> from
# `sandbox_dir` where it has sources. Appends to `${out}_ids`, `${out}_providers` and
# `${out}_sandboxes` in the caller's scope (the libraries as whole-archive link items).
function(parley_platform out id provider_dir sandbox_dir)
    file(GLOB psrc CONFIGURE_DEPENDS "${provider_dir}/*.cpp" "${provider_dir}/*.h")
    if(NOT psrc)
        return()
    endif()
    set(ids ${${out}_ids} ${id})
    set(providers ${${out}_providers} "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_provider_${id}>")
    set(sandboxes ${${out}_sandboxes})
    add_library(parley_provider_${id} STATIC ${psrc})
    target_link_libraries(parley_provider_${id} PRIVATE parley_warnings PUBLIC parley_providers)
    file(GLOB ssrc CONFIGURE_DEPENDS "${sandbox_dir}/*.cpp" "${sandbox_dir}/*.h")
    if(ssrc)
        add_library(parley_sandbox_${id} STATIC ${ssrc})
        target_link_libraries(parley_sandbox_${id} PRIVATE parley_warnings
                              PUBLIC parley_sandbox_base)
        list(APPEND sandboxes "$<LINK_LIBRARY:WHOLE_ARCHIVE,parley_sandbox_${id}>")
    endif()
    set(${out}_ids ${ids} PARENT_SCOPE)
    set(${out}_providers ${providers} PARENT_SCOPE)
    set(${out}_sandboxes ${sandboxes} PARENT_SCOPE)
endfunction()

# Every platform folder found: with `sandboxes_dir`, each <root>/<p>/ is a provider folder
# and <sandboxes_dir>/<p>/ its emulation (the app's layout); with an empty `sandboxes_dir`,
# each <root>/<p>/ holds provider/ and sandbox/ (test-only platforms, which nothing links
# unless a target lists them). Sets `${out}_ids` (the folder names), `${out}_providers` and
# `${out}_sandboxes`.
function(parley_platform_folders out root sandboxes_dir)
    set(${out}_ids)
    set(${out}_providers)
    set(${out}_sandboxes)
    file(GLOB entries LIST_DIRECTORIES true CONFIGURE_DEPENDS "${root}/*")
    foreach(dir ${entries})
        if(NOT IS_DIRECTORY "${dir}")
            continue()
        endif()
        get_filename_component(id "${dir}" NAME)
        if(sandboxes_dir)
            parley_platform(${out} ${id} "${dir}" "${sandboxes_dir}/${id}")
        else()
            parley_platform(${out} ${id} "${dir}/provider" "${dir}/sandbox")
        endif()
    endforeach()
    set(${out}_ids ${${out}_ids} PARENT_SCOPE)
    set(${out}_providers ${${out}_providers} PARENT_SCOPE)
    set(${out}_sandboxes ${${out}_sandboxes} PARENT_SCOPE)
endfunction()

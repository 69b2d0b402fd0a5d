# migcEmbed.cmake: migc_embed(), the build-time step that compiles a
# migrations directory into a library carrying the schema.
#
#   migc_embed(app_schema MIGRATIONS ${CMAKE_CURRENT_SOURCE_DIR}/migrations)
#   target_link_libraries(app PRIVATE app_schema)
#
# gives a static library `app_schema` whose header "app_schema.h" declares
# `extern const struct migc_schema app_schema;` and which links both runtime
# libraries, migc::cli (migc_main()) and migc::runtime: a service that calls
# only migc_migrate() pulls nothing from the first (static linking takes
# only what is used).
# The generator reruns when (and only when) a migration file is added,
# removed or changed, the lock file appears, changes or goes, or the
# generator itself changed: the file list is a CONFIGURE_DEPENDS glob,
# re-checked at every build.
#
# Optional: LOCK file, the lock of released migrations (docs/lock-file.md;
# default MIGRATIONS/migc.lock, used when it exists); SOURCE_ROOT dir, the
# root embedded paths are relative to (default CMAKE_SOURCE_DIR); LAYOUT
# name, to force a layout (docs/layouts.md; detected by default); NO_DOWN,
# to leave down migrations out; SEVERITY "rule=level;rule=level", to raise,
# lower or switch off rules (docs/rules.md; `--severity` of migc); WERROR,
# to fail the build on warnings too; LEDGER_TABLE name, when the service
# gives the runtime another ledger table than migc_migrations. Folder
# layouts (diesel, prisma) are covered: the glob reaches one level of
# folders and their metadata.toml.
#
# ARCHIVE dir: the baselines' archived originals, one folder per baseline
# (default MIGRATIONS/squashed; docs/ledger.md "Baselines"); their files
# are inputs too.
#
# Packs (docs/packs.md): PACKS dir, YAML rows checked against the tables the
# migrations create and embedded as upserts (default: a `packs` directory
# beside MIGRATIONS, used when it exists); NO_PACKS to leave them out. Every
# packs/<pack>/pack.yaml and packs/<pack>/<folder>/*.yaml is an input.

function(migc_embed name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_DOWN;WERROR;NO_PACKS"
                        "MIGRATIONS;SOURCE_ROOT;LOCK;LAYOUT;LEDGER_TABLE;PACKS;ARCHIVE"
                        "SEVERITY")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "migc_embed(${name}): unknown arguments "
      "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MIGRATIONS)
    message(FATAL_ERROR "migc_embed(${name}): MIGRATIONS directory required")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "migc_embed(${name}): the name must be a C identifier")
  endif()
  # migc::migc: the generator of this build (add_subdirectory,
  # FetchContent), the installed one (find_package), or MIGC_EXECUTABLE.
  if(NOT TARGET migc::migc)
    message(FATAL_ERROR "migc_embed(${name}): no migc generator: build it "
      "(MIGC_BUILD_GENERATOR=ON) or name one with -DMIGC_EXECUTABLE=PATH")
  endif()
  if(NOT TARGET migc::runtime OR NOT TARGET migc::cli)
    message(FATAL_ERROR "migc_embed(${name}): the migc runtime is not built "
      "(MIGC_BUILD_RUNTIME=OFF)")
  endif()
  get_filename_component(dir "${ARG_MIGRATIONS}" ABSOLUTE)
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "migc_embed(${name}): ${dir} is not a directory")
  endif()
  set(root "${ARG_SOURCE_ROOT}")
  if(NOT root)
    set(root "${CMAKE_SOURCE_DIR}")
  endif()

  set(lock_args "")
  if(ARG_LOCK)
    get_filename_component(lock "${ARG_LOCK}" ABSOLUTE)
    set(lock_args --lock "${lock}")
  else()
    set(lock "${dir}/migc.lock")
  endif()

  if(ARG_ARCHIVE)
    get_filename_component(archive "${ARG_ARCHIVE}" ABSOLUTE)
    list(APPEND lock_args --archive "${archive}")
  else()
    set(archive "${dir}/squashed")
  endif()

  set(layout_args "")
  if(ARG_LAYOUT)
    list(APPEND layout_args --layout "${ARG_LAYOUT}")
  endif()
  if(ARG_NO_DOWN)
    list(APPEND layout_args --no-down)
  endif()
  set(rule_args "")
  # "a=b;c=d" arrives as one element with its ';' escaped: split it too
  string(REPLACE "\\;" ";" severities "${ARG_SEVERITY}")
  foreach(spec IN LISTS severities)
    list(APPEND rule_args --severity "${spec}")
  endforeach()
  if(ARG_WERROR)
    list(APPEND rule_args --werror)
  endif()
  if(ARG_LEDGER_TABLE)
    list(APPEND rule_args --ledger-table "${ARG_LEDGER_TABLE}")
  endif()

  set(pack_args "")
  set(pack_files "")
  if(ARG_NO_PACKS)
    set(pack_args --no-packs)
  else()
    if(ARG_PACKS)
      get_filename_component(packs "${ARG_PACKS}" ABSOLUTE)
      if(NOT IS_DIRECTORY "${packs}")
        message(FATAL_ERROR "migc_embed(${name}): ${packs} is not a directory")
      endif()
      set(pack_args --packs "${packs}")
    else()
      # migc's own default, so that a packs folder appearing later is read
      get_filename_component(parent "${dir}" DIRECTORY)
      set(packs "${parent}/packs")
    endif()
    file(GLOB pack_files CONFIGURE_DEPENDS "${packs}/*/pack.yaml"
         "${packs}/*/*/*.yaml" "${packs}/*/*/*.yml")
  endif()

  file(GLOB files CONFIGURE_DEPENDS "${dir}/*.sql" "${dir}/*/*.sql"
       "${dir}/*/metadata.toml" "${archive}/*/*.sql" "${archive}/*/*/*.sql"
       "${archive}/*/*/metadata.toml")
  list(APPEND files ${pack_files})
  # A glob of one literal path: the lock is an input only while it exists,
  # and its appearing or going reruns the configure step like a new file.
  file(GLOB lock_files CONFIGURE_DEPENDS "${lock}")
  list(APPEND files ${lock_files})
  set(include_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}-migc")
  # The listing itself is an input: a file renamed or removed leaves no newer
  # file behind, so the list is written (only when it changed) and depended
  # on. The glob above reruns the configure step when the listing changes.
  string(REPLACE ";" "\n" listing "${files}")
  file(CONFIGURE OUTPUT "${include_dir}/${name}.inputs" CONTENT "${listing}\n"
       @ONLY)
  set(out_c "${include_dir}/${name}.c")
  set(out_h "${include_dir}/${name}.h")
  add_custom_command(
    OUTPUT "${out_c}" "${out_h}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${include_dir}"
    COMMAND migc::migc compile "${dir}" -o "${out_c}" --header "${out_h}"
            --name "${name}" --source-root "${root}" ${lock_args}
            ${layout_args} ${rule_args} ${pack_args}
    DEPENDS ${files} "${include_dir}/${name}.inputs" $<TARGET_FILE:migc::migc>
    COMMENT "migc: compiling ${name} from ${dir}"
    VERBATIM)
  add_library(${name} STATIC "${out_c}" "${out_h}")
  target_include_directories(${name} PUBLIC "${include_dir}")
  target_link_libraries(${name} PUBLIC migc::cli migc::runtime)
endfunction()

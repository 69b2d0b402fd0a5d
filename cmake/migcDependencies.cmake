# migcDependencies.cmake: find every library and tool migc builds with; a
# missing one stops the configure step naming the Debian package to install.

include(FindPackageHandleStandardArgs)

function(_migc_missing what package)
  message(FATAL_ERROR
    "migc needs ${what}, which was not found.\n"
    "On Debian or Ubuntu: apt-get install ${package}")
endfunction()

# _migc_find_library(TARGET HEADER HEADER_SUFFIX LIBNAME DESCRIPTION PACKAGE)
function(_migc_find_library target header suffix libname what package)
  string(MAKE_C_IDENTIFIER "${target}" id)
  find_path(MIGC_${id}_INCLUDE_DIR "${header}" PATH_SUFFIXES ${suffix})
  find_library(MIGC_${id}_LIBRARY NAMES ${libname})
  if(NOT MIGC_${id}_INCLUDE_DIR OR NOT MIGC_${id}_LIBRARY)
    _migc_missing("${what}" "${package}")
  endif()
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${MIGC_${id}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${MIGC_${id}_INCLUDE_DIR}")
endfunction()

if(NOT TARGET migc::pq)
  find_package(PostgreSQL QUIET)
  if(NOT PostgreSQL_FOUND)
    _migc_missing("libpq (the PostgreSQL client library)" "libpq-dev")
  endif()
  add_library(migc::pq INTERFACE IMPORTED GLOBAL)
  target_link_libraries(migc::pq INTERFACE PostgreSQL::PostgreSQL)
endif()

if(MIGC_BUILD_GENERATOR AND NOT TARGET migc::pg_query)
  _migc_find_library(migc::pg_query pg_query.h "" pg_query
    "libpg_query (the PostgreSQL parser as a library)" "libpg-query-dev")
  # Its protobuf header includes <protobuf-c/protobuf-c.h>.
  find_path(MIGC_PROTOBUF_C_INCLUDE_DIR protobuf-c/protobuf-c.h)
  if(NOT MIGC_PROTOBUF_C_INCLUDE_DIR)
    _migc_missing("the protobuf-c headers" "libprotobuf-c-dev")
  endif()
  set_property(TARGET migc::pg_query APPEND PROPERTY
    INTERFACE_INCLUDE_DIRECTORIES "${MIGC_PROTOBUF_C_INCLUDE_DIR}")

  _migc_find_library(migc::yaml yaml.h "" yaml
    "libyaml (pack files)" "libyaml-dev")

  find_package(OpenSSL QUIET COMPONENTS Crypto)
  if(NOT OpenSSL_FOUND)
    _migc_missing("OpenSSL libcrypto (checksums)" "libssl-dev")
  endif()

  find_program(MIGC_RE2C re2c)
  if(NOT MIGC_RE2C)
    _migc_missing("re2c (lexer generator)" "re2c")
  endif()
endif()

if(MIGC_BUILD_TESTS AND NOT TARGET migc::cmocka)
  _migc_find_library(migc::cmocka cmocka.h "" cmocka
    "cmocka (unit tests)" "libcmocka-dev")
endif()

# PostgreSQL server binaries: the tests start their own server, and the
# embedded default of the demo runs one.
if(NOT MIGC_PG_BINDIR)
  file(GLOB _migc_pg_bindirs LIST_DIRECTORIES true "/usr/lib/postgresql/*/bin")
  list(SORT _migc_pg_bindirs COMPARE NATURAL ORDER DESCENDING)
  find_program(MIGC_PG_CONFIG pg_config)
  if(MIGC_PG_CONFIG)
    execute_process(COMMAND "${MIGC_PG_CONFIG}" --bindir
      OUTPUT_VARIABLE _migc_cfg_bindir OUTPUT_STRIP_TRAILING_WHITESPACE
      ERROR_QUIET)
    list(PREPEND _migc_pg_bindirs "${_migc_cfg_bindir}")
  endif()
  foreach(dir IN LISTS _migc_pg_bindirs)
    if(EXISTS "${dir}/initdb" AND EXISTS "${dir}/pg_ctl")
      set(MIGC_PG_BINDIR "${dir}" CACHE PATH "PostgreSQL server binaries")
      break()
    endif()
  endforeach()
endif()
if(MIGC_BUILD_TESTS AND NOT MIGC_PG_BINDIR)
  _migc_missing("the PostgreSQL server (initdb, pg_ctl) for the tests"
    "postgresql")
endif()

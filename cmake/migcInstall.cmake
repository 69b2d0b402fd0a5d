# migcInstall.cmake: what `cmake --install` puts where, and the package a
# consumer finds with find_package(migc) or pkg-config:
#   bin/migc                       the generator (imported as migc::migc)
#   lib/libmigc.a (or .so.N)       the runtime (migc::runtime)
#   lib/libmigc_cli.a (or .so.N)   migc_main() and the embedded cluster
#                                  (migc::cli), on top of the runtime
#   include/migc.h                 the whole public API of both
#   lib/cmake/migc/                migcConfig.cmake, its version file, the
#                                  exported targets and migc_embed()
#   lib/pkgconfig/migc.pc          cflags and libs, libpq included
#   lib/pkgconfig/migc-cli.pc      the same plus libmigc_cli (Requires: migc),
#                                  for a service whose main() is migc_main()
# Two .pc files rather than -lmigc_cli in migc.pc: with shared libraries a
# service that calls only migc_migrate() then depends on libmigc alone.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_migc_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/migc")
set(_migc_targets "")
if(TARGET migc_runtime)
  list(APPEND _migc_targets migc_runtime migc_cli)
  install(FILES "${PROJECT_SOURCE_DIR}/include/migc.h"
          DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(TARGET migc)
  list(APPEND _migc_targets migc)
endif()
install(TARGETS ${_migc_targets} EXPORT migcTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT migcTargets NAMESPACE migc::
  DESTINATION "${_migc_cmake_dir}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/migcConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/migcConfig.cmake"
  INSTALL_DESTINATION "${_migc_cmake_dir}")
# 0.x: a minor release may change the API, so only the same minor version is
# compatible (from 1.0 on: SameMajorVersion).
write_basic_package_version_file("${PROJECT_BINARY_DIR}/migcConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/migcConfig.cmake"
              "${PROJECT_BINARY_DIR}/migcConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/migcEmbed.cmake"
        DESTINATION "${_migc_cmake_dir}")

if(TARGET migc_runtime)
  # pkg-config: paths relative to the .pc file, so that an installed tree
  # can move (cmake --install --prefix chooses it after configuring).
  file(RELATIVE_PATH MIGC_PC_UP "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
  string(REGEX REPLACE "/$" "" MIGC_PC_UP "${MIGC_PC_UP}")
  foreach(pc IN ITEMS migc migc-cli)
    configure_file("${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in"
                   "${PROJECT_BINARY_DIR}/${pc}.pc" @ONLY)
    install(FILES "${PROJECT_BINARY_DIR}/${pc}.pc"
            DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
  endforeach()
endif()

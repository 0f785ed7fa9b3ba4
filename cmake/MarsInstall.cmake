# `cmake --install build --prefix P`:
#
#   P/bin                    mars-run, mars-opt, mars-scheduler, mars-worker
#   P/include/mars           the public headers, with the TableGen-generated
#                            .h.inc files they include
#   P/lib                    the static Mars libraries
#   P/lib/cmake/Mars         the package: MarsConfig.cmake, its version file,
#                            the exported targets (MarsTargets*.cmake) and
#                            MarsDependencies.cmake
#   P/${MARS_INSTALL_PYTHONDIR}  the Python package (python/CMakeLists.txt)
#
# A C++ project then does
#
#   find_package(Mars REQUIRED CONFIG)
#   target_link_libraries(app PRIVATE Mars::MarsAPI)
#
# and gets every Mars library MarsAPI needs, linked against the shared
# libMLIR and libLLVM (Mars::MarsLLVM; see MarsLinkLLVM.cmake). The package
# is relocatable; the LLVM/MLIR, libomp and Cap'n Proto it links, and the
# OpenBLAS it opens at run time, are found again on the consumer's system
# (MarsConfig.cmake.in).
#
# Components: "tools" (bin), "development" (headers, libraries, package);
# python/CMakeLists.txt installs "python".

include(CMakePackageConfigHelpers)

set(MARS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Mars CACHE STRING
  "Where `cmake --install` puts MarsConfig.cmake, under the prefix")

install(TARGETS mars-run mars-opt mars-scheduler mars-worker
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/mars
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/mars
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
  FILES_MATCHING PATTERN "*.h.inc"
  PATTERN "CMakeFiles" EXCLUDE)

get_property(MARS_EXPORTED_LIBRARIES GLOBAL PROPERTY MARS_EXPORTED_LIBRARIES)
install(TARGETS ${MARS_EXPORTED_LIBRARIES} MarsLLVM
  EXPORT MarsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
install(EXPORT MarsTargets
  NAMESPACE Mars::
  DESTINATION ${MARS_INSTALL_CMAKEDIR} COMPONENT development)

configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/MarsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/MarsConfig.cmake
  INSTALL_DESTINATION ${MARS_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
# 0.x: a new minor version may break the API.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/MarsConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/cmake/MarsConfig.cmake
  ${PROJECT_BINARY_DIR}/cmake/MarsConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/MarsDependencies.cmake
  DESTINATION ${MARS_INSTALL_CMAKEDIR} COMPONENT development)

# The libraries outside LLVM and MLIR that Mars links or opens, as imported
# targets:
#
#   Mars::OpenBLAS    OpenBLAS (the BLAS products of the compiled engine, and
#                     the LAPACK routines of the matrix ops). Mars opens it
#                     when first used (include/mars/Numeric/OpenBlas.h); the
#                     target says where it was found.
#   Mars::LLVMOpenMP  LLVM's OpenMP runtime, libomp: generated kernels call
#                     its __kmpc_* entry points, so this is libomp and not
#                     what FindOpenMP picks for g++ (libgomp).
#
# The top CMakeLists.txt includes this file, and so does the installed
# MarsConfig.cmake: the exported Mars targets name these targets, and each
# consumer finds the libraries again on its own system. Needs
# LLVM_LIBRARY_DIR (find_package(MLIR) sets it). Sets MARS_DEPENDENCIES_FOUND
# and, when something is missing, MARS_DEPENDENCIES_MESSAGE.

set(MARS_DEPENDENCIES_FOUND TRUE)
set(MARS_DEPENDENCIES_MESSAGE "")

if(NOT TARGET Mars::LLVMOpenMP)
  find_library(MARS_LIBOMP omp PATHS ${LLVM_LIBRARY_DIR} NO_DEFAULT_PATH)
  if(MARS_LIBOMP)
    add_library(Mars::LLVMOpenMP UNKNOWN IMPORTED)
    set_target_properties(Mars::LLVMOpenMP PROPERTIES
      IMPORTED_LOCATION "${MARS_LIBOMP}")
  else()
    set(MARS_DEPENDENCIES_FOUND FALSE)
    string(APPEND MARS_DEPENDENCIES_MESSAGE
      "LLVM's OpenMP runtime (libomp) not found in ${LLVM_LIBRARY_DIR}. ")
  endif()
endif()

if(NOT TARGET Mars::OpenBLAS)
  find_library(MARS_OPENBLAS openblas)
  if(MARS_OPENBLAS)
    add_library(Mars::OpenBLAS UNKNOWN IMPORTED)
    set_target_properties(Mars::OpenBLAS PROPERTIES
      IMPORTED_LOCATION "${MARS_OPENBLAS}")
  else()
    set(MARS_DEPENDENCIES_FOUND FALSE)
    string(APPEND MARS_DEPENDENCIES_MESSAGE "OpenBLAS (libopenblas) not found. ")
  endif()
endif()

# How Mars binaries link LLVM and MLIR.
#
# Every Mars library links the interface target `MarsLLVM` (through
# ${MARS_MLIR_LIBS}); what that means is decided per executable:
#
#  - By default an executable links the shared libMLIR.so and libLLVM.so.
#    Relinking takes about a second, which is what the test binaries and
#    mars-opt want while we work on them.
#  - An executable marked with mars_link_llvm_statically() links the static
#    component archives instead, and only the code it uses ends up in it.
#    The programs that run user work (mars-run, mars-worker, mars-scheduler)
#    are marked. Loading libLLVM.so runs the static initialisers of every
#    target and pass in it. Those, with the kernel's fault-around, map about
#    60 MB of its text into every process before main:
#      - `mars-run --version`: 71 MB shared, 33 MB static.
#      - 10^9-point Monte Carlo pi: 90 MB shared, 47 MB static.
#    The static link takes about 3 s per binary with GNU ld.
#
# Debian builds LLVM with LLVM_LINK_LLVM_DYLIB, so its static MLIR archives
# name the `LLVM` dylib target as their dependency. Mixing the dylib with
# static archives registers every cl::opt twice and aborts at start-up. So for
# the MLIR archives we use, that dependency is rewritten to the LLVM component
# archives. Executables that link the dylib never see these targets.
#
# MARS_STATIC_LLVM=OFF links every executable against the dylibs (faster
# relinks when working on the tools themselves).

option(MARS_STATIC_LLVM
  "Link mars-run, mars-worker and mars-scheduler against static LLVM/MLIR" ON)

set(MARS_MLIR_SHARED_LIBS MLIR LLVM)

set(MARS_MLIR_STATIC_LIBS
  MLIRIR MLIRParser MLIRPass MLIRTransforms
  MLIRArithDialect MLIRControlFlowDialect MLIRFuncDialect MLIRGPUDialect
  MLIRGPUTransforms MLIRIndexDialect MLIRLLVMDialect MLIRNVVMDialect
  MLIRMathDialect MLIRMemRefDialect MLIROpenMPDialect MLIRSCFDialect
  MLIRUBDialect
  MLIRArithToLLVM MLIRControlFlowToLLVM MLIRFuncToLLVM MLIRGPUToNVVMTransforms
  MLIRIndexToLLVM MLIRMathToLLVM MLIRMemRefToLLVM MLIRNVVMToLLVM
  MLIROpenMPToLLVM MLIRReconcileUnrealizedCasts MLIRSCFToControlFlow
  MLIRSCFToOpenMP MLIRUBToLLVM
  MLIRExecutionEngine MLIRExecutionEngineUtils MLIRNVVMTarget
  MLIRBuiltinToLLVMIRTranslation MLIRGPUToLLVMIRTranslation
  MLIRLLVMToLLVMIRTranslation MLIRNVVMToLLVMIRTranslation
  MLIROpenMPToLLVMIRTranslation MLIRTargetLLVMIRExport)

# What the code above and Mars itself use of LLVM: the JIT, the optimisation
# pipeline, and the X86 (CPU kernels) and NVPTX (GPU kernels) back ends.
set(MARS_LLVM_STATIC_LIBS
  LLVMCore LLVMSupport LLVMTargetParser LLVMMC LLVMTransformUtils LLVMipo
  LLVMPasses LLVMIRReader LLVMBitWriter LLVMLinker LLVMFrontendOpenMP
  LLVMOrcJIT LLVMPerfJITEvents
  LLVMX86CodeGen LLVMX86AsmParser LLVMX86Desc LLVMX86Info
  LLVMNVPTXCodeGen LLVMNVPTXDesc LLVMNVPTXInfo)

# LLVMSupport's link interface names zstd::libzstd_shared, which Debian's
# LLVMConfig does not define.
if(NOT TARGET zstd::libzstd_shared)
  find_library(MARS_ZSTD NAMES zstd libzstd.so.1 REQUIRED)
  add_library(zstd::libzstd_shared SHARED IMPORTED)
  set_target_properties(zstd::libzstd_shared PROPERTIES
    IMPORTED_LOCATION ${MARS_ZSTD})
endif()

# Rewrites `LLVM` to the component archives in the link interface of `tgt` and
# of every MLIR target it depends on.
function(_mars_unshare_llvm tgt)
  get_property(seen GLOBAL PROPERTY _MARS_UNSHARED)
  if(NOT TARGET ${tgt} OR tgt IN_LIST seen)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY _MARS_UNSHARED ${tgt})
  get_target_property(deps ${tgt} INTERFACE_LINK_LIBRARIES)
  if(NOT deps)
    return()
  endif()
  if("LLVM" IN_LIST deps)
    list(REMOVE_ITEM deps LLVM)
    list(APPEND deps ${MARS_LLVM_STATIC_LIBS})
    set_target_properties(${tgt} PROPERTIES INTERFACE_LINK_LIBRARIES "${deps}")
  endif()
  foreach(dep IN LISTS deps)
    if(dep MATCHES "^MLIR")
      _mars_unshare_llvm(${dep})
    endif()
  endforeach()
endfunction()

if(MARS_STATIC_LLVM)
  foreach(tgt IN LISTS MARS_MLIR_STATIC_LIBS)
    _mars_unshare_llvm(${tgt})
  endforeach()
endif()

# Installed (Mars::MarsLLVM, see cmake/MarsInstall.cmake), MarsLLVM always
# means the dylibs: a program built against an installed Mars links libMLIR
# and libLLVM, whatever MARS_STATIC_LLVM says.
set(_mars_static "$<BOOL:$<TARGET_PROPERTY:MARS_STATIC_LLVM>>")
add_library(MarsLLVM INTERFACE)
target_link_libraries(MarsLLVM INTERFACE
  "$<BUILD_INTERFACE:$<${_mars_static}:${MARS_MLIR_STATIC_LIBS};${MARS_LLVM_STATIC_LIBS}>>"
  "$<BUILD_INTERFACE:$<$<NOT:${_mars_static}>:${MARS_MLIR_SHARED_LIBS}>>"
  "$<INSTALL_INTERFACE:${MARS_MLIR_SHARED_LIBS}>")
set(MARS_MLIR_LIBS MarsLLVM)

# mars_link_llvm_statically(target): link `target` against the static archives
# (see above). Nothing else changes: the JIT finds libm and libomp in the
# process and the scalar helpers by address, as in a dynamically linked tool.
function(mars_link_llvm_statically target)
  if(MARS_STATIC_LLVM)
    set_target_properties(${target} PROPERTIES MARS_STATIC_LLVM ON)
  endif()
endfunction()

# mars_link_fixed_address(target): link the statically linked `target` as a
# fixed-address (non-PIE) program on Linux. As a position-independent
# executable its 90 MB carry about 175,000 relative relocations (LLVM's
# vtables and option tables), which the loader applies, faulting in and
# copying every page they touch, at every process start: `mars-run
# --version` takes 52 ms of CPU and 1553 page faults as a PIE, 41 ms and 1047
# fixed. Only for a command started many times over (mars-run: once per
# program, tens of thousands of times in the test suite); the daemons that
# serve the network (mars-scheduler, mars-worker) start once and keep ASLR.
# The code is still compiled position-independent (LLVM's flags).
function(mars_link_fixed_address target)
  if(MARS_STATIC_LLVM AND CMAKE_SYSTEM_NAME STREQUAL "Linux" AND
     CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
    target_link_options(${target} PRIVATE -no-pie)
  endif()
endfunction()

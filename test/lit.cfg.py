# -*- Python -*-
# lit configuration for the Mars regression tests.

import os
import shutil

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Mars"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mars_obj_root, "test")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py.in", "Inputs", "numpy", "fuzz"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mars_src_root", config.mars_src_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%mars_tools_dir", config.mars_tools_dir))
config.substitutions.append(("%mars_obj_root", config.mars_obj_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.mars_tools_dir, append_path=True)

# mars-run compiles kernels by default: keep them in the build tree, not in
# the user's ~/.cache.
config.environment["MARS_KERNEL_CACHE"] = os.path.join(
    config.mars_obj_root, "test", "kernel-cache")

tools = ["mars-opt", "mars-run"]
llvm_config.add_tool_substitutions(tools, [config.mars_tools_dir])

# test/install builds a project against an installed Mars with the CMake,
# ninja and C++ compiler that built this tree.
ninja = (config.make_program if config.cmake_generator == "Ninja"
         else shutil.which("ninja"))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%ninja", ninja or "ninja"))
config.substitutions.append(("%cxx", config.cxx_compiler))

# Pictures of graphs (DOT) are rendered with Graphviz where it is installed
# (scripts/install-deps.sh installs it).
if shutil.which("dot"):
    config.available_features.add("graphviz")
# The dashboard is tested in headless Chromium driven through chromedriver
# (install-deps installs both).
if shutil.which("chromium") and shutil.which("chromedriver"):
    config.available_features.add("chromium")

# Compiled loops call glibc's vector math functions on CPUs with AVX2
# (mars/Numeric/Libm.h).
if os.path.exists("/proc/cpuinfo") and " avx2" in open("/proc/cpuinfo").read():
    config.available_features.add("avx2")

# GPU code generation is checked with CUDA's ptxas wherever it is installed;
# kernels run only where a CUDA driver sees a GPU.
ptxas = shutil.which("ptxas") or (
    "/usr/local/cuda/bin/ptxas" if os.access("/usr/local/cuda/bin/ptxas", os.X_OK)
    else None)
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))


def cuda_gpu_present():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        return cuda.cuInit(0) == 0 and \
            cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0
    except OSError:
        return False


if cuda_gpu_present():
    config.available_features.add("cuda-gpu")

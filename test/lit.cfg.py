# -*- Python -*-
# lit configuration for the Mars regression tests.

import os

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

tools = ["mars-opt", "mars-run"]
llvm_config.add_tool_substitutions(tools, [config.mars_tools_dir])

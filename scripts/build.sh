#!/usr/bin/env bash
# Installs the dependencies (Debian packages) and builds Mars into build/
# (or $MARS_BUILD_DIR). Incremental: a second run only rebuilds what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
start=$(date +%s)
if ! ninja -C "$build" all mlir-doc >"$build/ninja.log" 2>&1; then
  tail -n 60 "$build/ninja.log"
  echo "build: FAILED (full log: $build/ninja.log)" >&2
  exit 1
fi
echo "build: done in $(( $(date +%s) - start ))s ($build)"

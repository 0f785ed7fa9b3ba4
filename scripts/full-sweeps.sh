#!/usr/bin/env bash
# The full sweeps that the test suite samples (scripts/test.sh runs seeded
# subsets to stay under its time budget): every case of the numpy
# differential test on every engine, chunking, the GPU emulator, ptxas and
# the cluster, and more random programs. About two hours on two cores.
# Ends with one "N passed, M failed" line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" || { echo "sweeps: 0 passed, 1 failed (build failed)"; exit 1; }
run="$build/bin/mars-run"
py=/usr/bin/python3
passed=0
failed=0
sweep() {
  echo "== $*"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
sweep $py "$root/test/numpy/differential.py" --mars-run "$run" --chunked 3 --compiled 2
sweep $py "$root/test/numpy/chunked_programs.py" --mars-run "$run" --programs 2000 --compiled --seed 7
sweep $py "$root/test/numpy/chunked_programs.py" --mars-run "$run" --programs 600 --spill --seed 11
sweep $py "$root/test/numpy/differential.py" --mars-run "$run" --compiled 1 --device=gpu-emulator
sweep $py "$root/test/numpy/chunked_programs.py" --mars-run "$run" --programs 400 --compiled --device=gpu-emulator --seed 13
if [ -x /usr/local/cuda/bin/ptxas ]; then
  sweep $py "$root/test/numpy/differential.py" --mars-run "$run" --ptxas /usr/local/cuda/bin/ptxas --gpu-arch=sm_90
fi
sweep $py "$root/test/distributed/cluster.py" --tools "$build/bin" --programs 400 --op-cases
sweep $py "$root/test/distributed/ring.py" --tools "$build/bin" --seeds 100
echo "sweeps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the main job: the seed
# article's Monte Carlo estimate of pi (10^7 random points) through mars-run.
# Pass another program (and mars-run options) to run that instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
if [ $# -eq 0 ]; then
  # Tiled, fused, compiled kernels on the local runtime's threads.
  set -- "$root/examples/monte_carlo_pi.mlir" --engine=compiled
fi
echo "mars-run $*"
"$build/bin/mars-run" "$@"

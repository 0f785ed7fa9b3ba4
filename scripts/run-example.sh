#!/usr/bin/env bash
# Installs the dependencies, builds, makes `import mars` work for Debian's
# /usr/bin/python3, and runs the main job: the seed article's Monte Carlo
# estimate of pi (10^7 random points) written with mars.tensor.
# Pass a Python script (and its arguments) to run that instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
"$root/scripts/install-python-path.sh"
if [ $# -eq 0 ]; then
  set -- "$root/examples/python/pi.py"
fi
echo "python3 $*"
/usr/bin/python3 "$@"

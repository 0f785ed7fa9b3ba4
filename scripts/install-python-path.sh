#!/usr/bin/env bash
# Puts the built Python package (build/python) on the path of Debian's
# /usr/bin/python3 with a .pth file in its site directory, so that
# `import mars` works without PYTHONPATH. As a non-root user it prints the
# one line that does it instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"
site=$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')
pth="$site/mars-build.pth"
if [ "$(cat "$pth" 2>/dev/null)" = "$build/python" ]; then
  exit 0
fi
if mkdir -p "$site" 2>/dev/null && echo "$build/python" >"$pth" 2>/dev/null; then
  echo "python: import mars now loads $build/python ($pth)"
else
  echo "python: to use mars from /usr/bin/python3, run:  export PYTHONPATH=$build/python"
fi

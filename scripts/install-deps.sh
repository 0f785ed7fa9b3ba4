#!/usr/bin/env bash
# Installs every Debian package Mars needs to build and test. Idempotent and
# quiet when everything is already present. Run as root (or via sudo).
# With --bench, also the peers the benchmarks measure Mars against (numexpr,
# dask), run with Debian's /usr/bin/python3.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools libomp-19-dev
  libgtest-dev libopenblas-dev
  capnproto libcapnp-dev libssl-dev openssl
  python3 python3-numpy python3-dev pybind11-dev python3-pytest python3-hypothesis
  python3-scipy
  graphviz chromium chromium-driver
)
if [ "${1:-}" = "--bench" ]; then
  PACKAGES+=(python3-numexpr python3-dask)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

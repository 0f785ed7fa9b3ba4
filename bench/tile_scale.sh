#!/usr/bin/env bash
# Tiling at scale: parse, verify, tile and count the chunk graph of
# (a.dot(a.T) - a).std() for a 100000x100000 f64 `a` in 1000x1000 chunks.
# Target (issue: tiling): under 1 s and 200 MB. Prints the figures and the
# per-op chunk/task counts (computed from the layouts, never enumerated).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"
prog="$root/bench/seed_dot_std_100k.mlir"
runs=${RUNS:-5}

times=()
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o /tmp/mars-tile-scale.$$ \
    "$build/bin/mars-opt" "$prog" -mars-tile -mars-print-chunk-graph=format=stats \
    -o /dev/null > /tmp/mars-tile-scale-out.$$
  times+=("$(cat /tmp/mars-tile-scale.$$)")
done
cat /tmp/mars-tile-scale-out.$$
rm -f /tmp/mars-tile-scale.$$ /tmp/mars-tile-scale-out.$$
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$runs" '
  { t[NR] = $1; m[NR] = $2 }
  END {
    med = t[int((n + 1) / 2)];
    maxm = 0; for (i = 1; i <= n; i++) if (m[i] > maxm) maxm = m[i];
    printf "tile-scale: median %.3f s over %d runs, peak RSS %.1f MB (targets: 1 s, 200 MB)\n", med, n, maxm / 1024;
  }'

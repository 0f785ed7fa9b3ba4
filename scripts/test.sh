#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the whole test suite: the lit
# regression tests (IR round trips, verifier diagnostics, canonicalization,
# mars-run execution, the numpy differential test, garbled inputs) and the
# GoogleTest unit tests. Ends with one "N passed, M failed" line.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MARS_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }

passed=0
failed=0

echo "== lit"
lit_out=$(/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$build/test" 2>&1)
lit_status=$?
echo "$lit_out" | grep -vE '^(PASS|UNSUPPORTED): ' | tail -n 60
lp=$(echo "$lit_out" | sed -nE 's/^ *Passed *: *([0-9]+).*/\1/p')
lf=$(echo "$lit_out" | sed -nE 's/^ *Failed *: *([0-9]+).*/\1/p')
passed=$((passed + ${lp:-0}))
failed=$((failed + ${lf:-0}))
if [ "$lit_status" -ne 0 ] && [ "${lf:-0}" -eq 0 ]; then failed=$((failed + 1)); fi

for t in "$build"/unittests/*Tests; do
  echo "== $(basename "$t")"
  out=$("$t" --gtest_brief=1 2>&1)
  status=$?
  echo "$out" | tail -n 20
  tp=$(echo "$out" | sed -nE 's/^\[  PASSED  \] ([0-9]+) tests?.*/\1/p')
  tf=$(echo "$out" | sed -nE 's/^\[  FAILED  \] ([0-9]+) tests?, listed below.*/\1/p')
  passed=$((passed + ${tp:-0}))
  failed=$((failed + ${tf:-0}))
  if [ "$status" -ne 0 ] && [ "${tf:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

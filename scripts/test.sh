#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the whole test suite: the lit
# regression tests (IR round trips, verifier diagnostics, canonicalization,
# mars-run execution, the numpy differential test, garbled inputs) and the
# GoogleTest unit tests, and the pytest suites of the Python package
# (test/python, with Hypothesis property tests). Ends with one
# "N passed, M failed" line.
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

echo "== pytest"
out=$(cd "$root" && PYTHONPATH="$build/python" PYTHONDONTWRITEBYTECODE=1 \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider test/python 2>&1)
status=$?
echo "$out" | grep -vE '^[.sxXF]+( +\[ *[0-9]+%\])?$' | tail -n 40
summary=$(echo "$out" | tail -n 1)
pp=$(echo "$summary" | sed -nE 's/(^|.*[ =])([0-9]+) passed.*/\2/p')
pf=$(echo "$summary" | sed -nE 's/(^|.*[ =])([0-9]+) failed.*/\2/p')
pe=$(echo "$summary" | sed -nE 's/(^|.*[ =])([0-9]+) errors?.*/\2/p')
passed=$((passed + ${pp:-0}))
failed=$((failed + ${pf:-0} + ${pe:-0}))
if [ "$status" -ne 0 ] && [ "${pf:-0}" -eq 0 ] && [ "${pe:-0}" -eq 0 ]; then failed=$((failed + 1)); fi

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

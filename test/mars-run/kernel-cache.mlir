// The on-disk kernel cache: the first run compiles every kernel and reports
// its compile time, the second compiles nothing, a damaged entry is compiled
// again (with the same result) and replaced, and an unusable cache
// directory only costs a warning. Entries are sealed with their length and
// hash: an object with 8 bytes flipped in its middle still links, and would
// crash or compute garbage if it were loaded.

// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/first.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=FIRST < %t/first.json
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/second.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=SECOND < %t/second.json
// RUN: %python -c "import glob; [open(f, 'wb').write(b'not an object') for f in glob.glob('%t/k/*.o')]"
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/third.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=FIRST < %t/third.json
// RUN: %python -c "import glob; fs = glob.glob('%t/k/*.o'); assert fs; [(lambda f, b: open(f, 'wb').write(b[:len(b) // 2] + bytes(x ^ 0xff for x in b[len(b) // 2:len(b) // 2 + 8]) + b[len(b) // 2 + 8:]))(f, open(f, 'rb').read()) for f in fs]"
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/flipped.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefixes=FIRST,DAMAGED < %t/flipped.json
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/replaced.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=SECOND < %t/replaced.json
// RUN: %python -c "import glob; [(lambda f, b: open(f, 'wb').write(b[:-3]))(f, open(f, 'rb').read()) for f in glob.glob('%t/k/*.o')]"
// RUN: mars-run --engine=compiled --kernel-cache=%t/k %s --stats=%t/truncated.json | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefixes=FIRST,DAMAGED < %t/truncated.json
// RUN: touch %t/file
// RUN: mars-run --engine=compiled --kernel-cache=%t/file/k %s 2>&1 | FileCheck %s --check-prefix=UNWRITABLE

func.func @main() -> tensor<i64> {
  %p = mars.random_uniform seed = 3, low = -1.0, high = 1.0 : tensor<1000x2xf64>
  %sq = mars.square %p : tensor<1000x2xf64>
  %r2 = mars.sum %sq axes = [1] : tensor<1000x2xf64> -> tensor<1000xf64>
  %one = mars.full(1.0) : tensor<f64>
  %inside = mars.lt %r2, %one : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xi1>
  %n = mars.count_nonzero %inside : tensor<1000xi1> -> tensor<i64>
  return %n : tensor<i64>
}

// OUT: 793

// FIRST: "compiled_tasks": {{[1-9]}}
// DAMAGED: "kernel_cache_damaged": {{[1-9]}}
// FIRST: "kernels": [
// FIRST: "compile_seconds": {{[0-9.e-]+}},
// FIRST-NEXT: "from_disk_cache": false
// FIRST-NOT: "from_disk_cache": true

// SECOND: "kernel_cache_damaged": 0
// SECOND: "kernels": [
// SECOND: "compile_seconds": 0,
// SECOND-NEXT: "from_disk_cache": true
// SECOND-NOT: "from_disk_cache": false

// UNWRITABLE: warning: kernel cache '{{.*}}file/k' is not writable
// UNWRITABLE: 793

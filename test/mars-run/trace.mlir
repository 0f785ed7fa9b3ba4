// Tests mars-run --trace: the file is valid Trace Event JSON (spans nest on
// every track, every track is named) and holds what the run did: a task
// span per chunk task with the op's name and the task's kind, kernel
// compiles, and spills and reads back under a small memory limit.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: mars-run %s --chunks 250 --threads 2 --kernel-cache=none --trace %t/run.json -quiet
// RUN: %python %mars_src_root/test/trace_format.py %t/run.json \
// RUN:   --expect 'map:fused(random_uniform, exp)=16' \
// RUN:   --expect 'product:matmul=16' \
// RUN:   --expect 'partial:fused(sum, max)=16' \
// RUN:   --expect 'run:execute (compiled)=1' --expect 'run:parse=1' \
// RUN:   --expect-at-least 'compile:*=2' \
// RUN:   --track mars --track main --track 'worker 0' --track 'worker 1' | FileCheck %s
// CHECK: valid trace
//
// The chunked engine compiles nothing; --repeat records every execution.
// RUN: mars-run %s --engine=chunked --chunks 250 --repeat 2 --trace %t/chunked.json -quiet
// RUN: %python %mars_src_root/test/trace_format.py %t/chunked.json \
// RUN:   --expect 'run:execute (chunked)=2' --expect 'compile:*=0' \
// RUN:   --expect 'map:fused(random_uniform, exp)=32' --expect 'map:transpose=32' | FileCheck %s
//
// Under a memory limit chunks of the product are spilled and read back:
// those of a product read again by a later sink (the band order leaves
// nothing of this file's product to spill, see runtime/band-order.mlir).
// RUN: mars-run %S/Inputs/trace-spill.mlir --chunks 250 --memory-limit 6MB --kernel-cache=none --trace %t/spill.json -quiet
// RUN: %python %mars_src_root/test/trace_format.py %t/spill.json \
// RUN:   --expect-at-least 'spill:spill matmul=1' \
// RUN:   --expect-at-least 'spill:read back matmul=1' | FileCheck %s
//
// The reference engine runs no tasks; '-' writes the trace to stdout, and
// nothing else goes there.
// RUN: mars-run %s --engine=reference --trace - > %t/ref.json
// RUN: %python %mars_src_root/test/trace_format.py %t/ref.json \
// RUN:   --expect 'run:execute (reference)=1' --expect 'map:*=0' | FileCheck %s
//
// RUN: not mars-run %s --trace %t/no/such/dir/t.json -quiet 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: cannot write the trace '{{.*}}t.json': No such file or directory
// RUN: not mars-run %s --graph=fused --trace %t/g.json 2>&1 | FileCheck %s --check-prefix=DRY
// DRY: error: --trace records a run; --emit and --graph do not run the program
func.func @main() -> (tensor<f64>, tensor<f64>) {
  %a = mars.random_uniform seed = 1, low = 0.0, high = 1.0 : tensor<1000x1000xf64>
  %b = mars.exp %a : tensor<1000x1000xf64>
  %t = mars.transpose %b perm = [1, 0] : tensor<1000x1000xf64> -> tensor<1000x1000xf64>
  %c = mars.matmul %b, %t : tensor<1000x1000xf64>, tensor<1000x1000xf64> -> tensor<1000x1000xf64>
  %s = mars.sum %c : tensor<1000x1000xf64> -> tensor<f64>
  %m = mars.max %c : tensor<1000x1000xf64> -> tensor<f64>
  return %s, %m : tensor<f64>, tensor<f64>
}

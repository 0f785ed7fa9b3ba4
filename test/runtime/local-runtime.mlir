// The local runtime through mars-run: threads, the memory limit with
// spilling, the progress line, --stats, and what goes wrong with the spill
// directory or a limit too small.

// RUN: rm -rf %t && mkdir -p %t/spill

// The variance of 16 MB of numbers that must outlive their mean: under a
// 4 MB limit most of them go to disk (a scan's chunks are always stored),
// and the answer is the one the unlimited run gives.
// RUN: mars-run %s --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=1 | FileCheck %s --check-prefix=VALUE
// RUN: mars-run %s --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=2 --memory-limit=4MB --spill-dir=%t/spill --stats=%t/stats.json | FileCheck %s --check-prefix=VALUE
// RUN: FileCheck %s --check-prefix=STATS < %t/stats.json
// RUN: ls %t/spill | count 0
// RUN: mars-run %s --engine=compiled --kernel-cache=none --fuse=false --chunk-bytes=256KiB --memory-limit=4MB --spill-dir=%t/spill | FileCheck %s --check-prefix=VALUE
// VALUE: 2084239.58895

// STATS: "seconds": {
// STATS-NEXT: "parse":
// STATS-NEXT: "tile":
// STATS-NEXT: "compile":
// STATS-NEXT: "execute":
// STATS: "threads": 2,
// STATS-NEXT: "prepare_seconds":
// STATS-NEXT: "peak_memory_bytes": {{[1-9][0-9]+}},
// STATS-NEXT: "memory_limit_bytes": 4000000,
// STATS-NEXT: "bytes_spilled": {{[1-9][0-9]+}},
// STATS-NEXT: "bytes_read_back": {{[1-9][0-9]+}},
// STATS-NEXT: "spills": {{[1-9][0-9]+}},
// STATS-NEXT: "read_backs": {{[1-9][0-9]+}},
// STATS-NEXT: "recomputes": {{[0-9]+}},
// STATS-NEXT: "bytes_recomputed": {{[0-9]+}},
// STATS-NEXT: "peak_rss_bytes":
// STATS-NEXT: "tasks": {{[0-9]+}},

// Chunks that cost less to make again than the disk's round trip (random
// numbers and a cheap op of them, unfused) are not written to disk: they
// are dropped, and a reader's task makes them again, with the random chunks
// they read.
// RUN: mars-run %s --entry=regenerate --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=2 --memory-limit=4MB --spill-dir=%t/spill --stats=%t/regen.json | FileCheck %s --check-prefix=UNIFORM
// RUN: mars-run %s --entry=regenerate --engine=compiled --kernel-cache=none --fuse=false --chunk-bytes=256KiB --memory-limit=4MB --spill-dir=%t/spill | FileCheck %s --check-prefix=UNIFORM
// RUN: FileCheck %s --check-prefix=REGEN < %t/regen.json
// UNIFORM: 0.0833
// REGEN: "bytes_spilled": 0,
// REGEN: "spills": 0,
// REGEN-NEXT: "read_backs": 0,
// REGEN-NEXT: "recomputes": {{[1-9][0-9]+}},
// REGEN-NEXT: "bytes_recomputed": {{[1-9][0-9]+}},

// Chunks that cost more to make again than the disk's round trip, but a
// bounded amount (the Q factors of random matrices), go to disk while it
// takes them, and are dropped and made again when it is full: the run ends
// with the unlimited run's answer instead of failing.
// RUN: mars-run %s --entry=past_disk --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=1 | FileCheck %s --check-prefix=QVAR
// RUN: mars-run %s --entry=past_disk --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=2 --memory-limit=4MB --spill-dir=%t/spill --spill-limit=1MB --stats=%t/past.json | FileCheck %s --check-prefix=QVAR
// RUN: mars-run %s --entry=past_disk --engine=compiled --kernel-cache=none --fuse=false --chunk-bytes=256KiB --memory-limit=4MB --spill-dir=%t/spill --spill-limit=1MB | FileCheck %s --check-prefix=QVAR
// RUN: FileCheck %s --check-prefix=PAST < %t/past.json
// QVAR: 0.00196942849
// PAST: "bytes_spilled": {{[1-9][0-9]+}},
// PAST: "spills": {{[1-9][0-9]*}},
// PAST-NEXT: "read_backs": {{[1-9][0-9]*}},
// PAST-NEXT: "recomputes": {{[1-9][0-9]*}},

// The progress line: tasks done of all, memory, elapsed; the last one says
// every task is done, and ends the line.
// RUN: mars-run %s --engine=chunked --fuse=false --chunk-bytes=64KiB --threads=1 --memory-limit=4MB --spill-dir=%t/spill --progress=always 2>%t/progress.txt | FileCheck %s --check-prefix=VALUE
// RUN: FileCheck %s --check-prefix=PROGRESS < %t/progress.txt
// PROGRESS: [[[N:[0-9]+]]/[[N]] tasks 100%] {{.*}} in memory{{.*}}, {{[0-9.]+}}s

// --quiet prints neither results nor progress.
// RUN: mars-run %s --engine=chunked --chunk-bytes=64KiB --quiet 2>&1 | count 0

// A spill directory that cannot be made.
// RUN: touch %t/file
// RUN: not mars-run %s --engine=chunked --fuse=false --chunk-bytes=256KiB --memory-limit=4MB --spill-dir=%t/file/spill 2>&1 | FileCheck %s --check-prefix=SPILLDIR
// SPILLDIR: error: cannot use spill directory '{{.*}}file/spill'

// A full disk holding chunks that can be made again (the Q factors) gives
// their room to chunks that cannot (a scan's): the Q factors' copies are
// dropped. Only when the scan's chunks alone do not fit does the run fail.
// RUN: mars-run %s --entry=disk_for_stored --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=1 | FileCheck %s --check-prefix=COV
// RUN: mars-run %s --entry=disk_for_stored --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=2 --memory-limit=6MB --spill-dir=%t/spill --spill-limit=6MB | FileCheck %s --check-prefix=COV
// RUN: mars-run %s --entry=disk_for_stored --engine=compiled --kernel-cache=none --fuse=false --chunk-bytes=256KiB --memory-limit=6MB --spill-dir=%t/spill --spill-limit=6MB | FileCheck %s --check-prefix=COV
// RUN: not mars-run %s --entry=disk_for_stored --engine=chunked --fuse=false --chunk-bytes=256KiB --threads=2 --memory-limit=6MB --spill-dir=%t/spill --spill-limit=4MB 2>&1 | FileCheck %s --check-prefix=FULL4
// RUN: ls %t/spill | count 0
// COV: -0.68598453508
// FULL4: local-runtime.mlir:{{[0-9]+}}:{{[0-9]+}}: error: cannot spill {{[0-9.]+}} KiB to '{{.*}}/chunks.bin': the disk is full (the spill limit 3.81 MiB is reached;

// A full disk (the spill quota stands in for it) with chunks that cannot be
// made again.
// RUN: not mars-run %s --engine=chunked --fuse=false --chunk-bytes=256KiB --memory-limit=4MB --spill-dir=%t/spill --spill-limit=2MB 2>&1 | FileCheck %s --check-prefix=FULL
// RUN: ls %t/spill | count 0
// FULL: local-runtime.mlir:{{[0-9]+}}:8: error: cannot spill {{[0-9.]+}} KiB to '{{.*}}/chunks.bin': the disk is full (the spill limit 1.91 MiB is reached;

// A limit below one chunk task.
// RUN: not mars-run %s --engine=chunked --fuse=false --chunk-bytes=256KiB --memory-limit=200KB 2>&1 | FileCheck %s --check-prefix=SMALL
// SMALL: local-runtime.mlir:[[@LINE+3]]:8: error: the memory limit of 195.3 KiB cannot hold the next chunk task of this op ({{mars\.[a-z_]+}}): it needs 245.3 KiB more beside {{.*}}; raise --memory-limit or use smaller chunks (--chunk-bytes)

func.func @main() -> tensor<f64> {
  %r = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<200x10000xf64>
  %b = mars.cumsum %r axis = 1 : tensor<200x10000xf64> -> tensor<200x10000xf64>
  %m = mars.mean %b axes = [0, 1] : tensor<200x10000xf64> -> tensor<f64>
  %d = mars.sub %b, %m : (tensor<200x10000xf64>, tensor<f64>) -> tensor<200x10000xf64>
  %s = mars.square %d : tensor<200x10000xf64>
  %v = mars.mean %s axes = [0, 1] : tensor<200x10000xf64> -> tensor<f64>
  return %v : tensor<f64>
}

func.func @regenerate() -> tensor<f64> {
  %r = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<200x10000xf64>
  %b = mars.abs %r : tensor<200x10000xf64>
  %m = mars.mean %b axes = [0, 1] : tensor<200x10000xf64> -> tensor<f64>
  %d = mars.sub %b, %m : (tensor<200x10000xf64>, tensor<f64>) -> tensor<200x10000xf64>
  %s = mars.square %d : tensor<200x10000xf64>
  %v = mars.mean %s axes = [0, 1] : tensor<200x10000xf64> -> tensor<f64>
  return %v : tensor<f64>
}

func.func @past_disk() -> tensor<f64> {
  %a = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<256x500x8xf64>
  %q = mars.qr %a part = "q" complete = false : tensor<256x500x8xf64> -> tensor<256x500x8xf64>
  %m = mars.mean %q axes = [0, 1, 2] : tensor<256x500x8xf64> -> tensor<f64>
  %d = mars.sub %q, %m : (tensor<256x500x8xf64>, tensor<f64>) -> tensor<256x500x8xf64>
  %s = mars.square %d : tensor<256x500x8xf64>
  %v = mars.mean %s axes = [0, 1, 2] : tensor<256x500x8xf64> -> tensor<f64>
  return %v : tensor<f64>
}

func.func @disk_for_stored() -> tensor<f64> {
  %a = mars.random_uniform seed = 7, low = 0.0, high = 1.0 : tensor<256x500x8xf64>
  %q = mars.qr %a part = "q" complete = false : tensor<256x500x8xf64> -> tensor<256x500x8xf64>
  %r = mars.random_uniform seed = 8, low = 0.0, high = 1.0 : tensor<256x500x8xf64>
  %c = mars.cumsum %r axis = 1 : tensor<256x500x8xf64> -> tensor<256x500x8xf64>
  %mq = mars.mean %q axes = [0, 1, 2] : tensor<256x500x8xf64> -> tensor<f64>
  %mc = mars.mean %c axes = [0, 1, 2] : tensor<256x500x8xf64> -> tensor<f64>
  %m = mars.add %mq, %mc : tensor<f64>
  %dq = mars.sub %q, %m : (tensor<256x500x8xf64>, tensor<f64>) -> tensor<256x500x8xf64>
  %dc = mars.sub %c, %m : (tensor<256x500x8xf64>, tensor<f64>) -> tensor<256x500x8xf64>
  %s = mars.mul %dq, %dc : tensor<256x500x8xf64>
  %v = mars.mean %s axes = [0, 1, 2] : tensor<256x500x8xf64> -> tensor<f64>
  return %v : tensor<f64>
}

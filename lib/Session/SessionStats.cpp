//===- SessionStats.cpp - What a run did, as JSON --------------------------===//
//
// Session::writeStats: the figures `mars-run --stats` writes after the
// phases (docs/Runtime.md lists them).
//
//===----------------------------------------------------------------------===//

#include "mars/Session/Session.h"

#include "mars/Runtime/CudaDevice.h"
#include "mars/Runtime/GpuKernelCache.h"
#include "mars/Runtime/KernelCache.h"

using namespace mars;

llvm::StringRef mars::engineName(Engine engine) {
  switch (engine) {
  case Engine::Reference:
    return "reference";
  case Engine::Chunked:
    return "chunked";
  case Engine::Compiled:
    return "compiled";
  }
  llvm_unreachable("an engine");
}

void Session::writeStats(llvm::json::OStream &j,
                         const RunReport &report) const {
  if (opts.engine != Engine::Reference) {
    j.attribute("threads", report.chunked.threads);
    j.attribute("prepare_seconds", report.chunked.prepareSeconds);
    j.attribute("peak_memory_bytes", report.chunked.peakMemory);
    j.attribute("memory_limit_bytes", report.chunked.memoryLimit);
    j.attribute("bytes_spilled", report.chunked.bytesSpilled);
    j.attribute("bytes_read_back", report.chunked.bytesReadBack);
    j.attribute("spills", report.chunked.spills);
    j.attribute("read_backs", report.chunked.readBacks);
    j.attribute("recomputes", report.chunked.recomputes);
    j.attribute("bytes_recomputed", report.chunked.bytesRecomputed);
  }
  j.attribute("peak_rss_bytes", peakRSSBytes());
  if (report.cluster)
    j.attributeObject("cluster", [&] {
      j.attribute("scheduler", opts.cluster);
      j.attribute("tasks_run", report.cluster->tasks);
      j.attribute("recomputed", report.cluster->recomputed);
      j.attribute("workers_lost", report.cluster->workersLost);
      j.attribute("takeovers", report.cluster->takeovers);
      j.attribute("workers", report.cluster->workers);
      j.attribute("bytes_fetched", report.cluster->bytesFetched);
      j.attribute("bytes_spilled", report.cluster->bytesSpilled);
      j.attribute("result_bytes", report.cluster->resultBytes);
      j.attribute("result_fetch_seconds", report.cluster->resultSeconds);
      j.attributeArray("tasks_per_worker", [&] {
        for (int64_t n : report.cluster->tasksPerWorker)
          j.value(n);
      });
    });
  j.attribute("tasks", report.chunked.tasks);
  j.attribute("chunks", report.chunked.chunks);
  j.attribute("compiled_tasks", report.chunked.compiledTasks);
  j.attribute("shared_chunks", report.chunked.sharedChunks);
  j.attribute("kernel_seconds", report.chunked.kernelSeconds); // Of the last run.
  j.attributeArray("interpreted_ops", [&] {
    for (const std::string &why : report.chunked.interpretedOps)
      j.value(why);
  });
  j.attribute("device", gpuDevice ? "gpu" : "cpu");
  if (gpuDevice)
    j.attributeObject("gpu", [&] {
      const GpuCounters &c = gpuDevice->counters;
      j.attribute("name", gpuDevice->description());
      j.attribute("arch", gpuKernels->arch());
      j.attribute("kernel_launches", c.kernels.load());
      j.attribute("gemms", c.gemms.load());
      j.attribute("bytes_to_device", c.bytesToDevice.load());
      j.attribute("bytes_from_device", c.bytesFromDevice.load());
      j.attribute("device_hits", c.hits.load());
      j.attribute("device_misses", c.misses.load());
      j.attribute("device_evictions", c.evictions.load());
      j.attribute("peak_device_bytes", gpuDevice->peakMemory());
      j.attribute("device_memory_limit_bytes", gpuDevice->memoryLimit());
      j.attribute("kernel_cache_damaged", gpuKernels->stats().damaged);
      j.attributeArray("kernels", [&] {
        for (const auto &k : gpuKernels->stats().kernels)
          j.object([&] {
            j.attribute("name", k.key.substr(0, 24));
            j.attribute("compile_seconds", k.compileSeconds);
            j.attribute("from_disk_cache", k.fromDisk);
          });
      });
    });
  if (cpuKernels) {
    j.attribute("kernels_reused", cpuKernels->stats().reused);
    j.attribute("kernel_cache_damaged", cpuKernels->stats().damaged);
    j.attributeArray("kernels", [&] {
      for (const auto &k : cpuKernels->stats().kernels)
        j.object([&] {
          j.attribute("name", k.name);
          j.attribute("compile_seconds", k.compileSeconds);
          j.attribute("from_disk_cache", k.fromDisk);
        });
    });
  }
}

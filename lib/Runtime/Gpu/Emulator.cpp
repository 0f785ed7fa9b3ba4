//===- Emulator.cpp - GPU kernels run on the CPU, for testing -------------===//

#include "Emulator.h"

#include "mars/Conversion/ChunkKernel.h"

#include <functional>
#include <mutex>
#include <ucontext.h>
#include <vector>

namespace {

/// One block's threads as fibers (ucontext) on the calling thread: each runs
/// until it reaches a barrier or returns, in thread order, and the next
/// round starts when all have; with uniform barriers (every kernel's) that
/// is a GPU block's barrier semantics, at a context switch per arrival.
class FiberBlock {
public:
  using Body = std::function<void(int64_t thread, void *barrier)>;

  explicit FiberBlock(int64_t threads)
      : fibers(threads), finished(threads), stacks(threads * kStack) {}

  void run(Body b) {
    body = std::move(b);
    const int64_t n = static_cast<int64_t>(fibers.size());
    for (int64_t t = 0; t < n; ++t) {
      getcontext(&fibers[t]);
      fibers[t].uc_stack.ss_sp = stacks.data() + t * kStack;
      fibers[t].uc_stack.ss_size = kStack;
      fibers[t].uc_link = &scheduler;
      makecontext(&fibers[t], &FiberBlock::entry, 0);
      finished[t] = false;
    }
    int64_t left = n;
    while (left > 0)
      for (current = 0; current < n; ++current) {
        if (finished[current])
          continue;
        active = this;
        swapcontext(&scheduler, &fibers[current]);
        if (finished[current])
          --left;
      }
  }

  /// gpu.barrier: back to the scheduler until the next round.
  void arrive() { swapcontext(&fibers[current], &scheduler); }

private:
  static constexpr size_t kStack = 64 << 10;
  static void entry() {
    FiberBlock *self = active;
    int64_t t = self->current;
    self->body(t, self);
    self->finished[t] = true;
  }

  static thread_local FiberBlock *active;
  std::vector<ucontext_t> fibers;
  std::vector<bool> finished;
  std::vector<char> stacks;
  ucontext_t scheduler;
  int64_t current = 0;
  Body body;
};

thread_local FiberBlock *FiberBlock::active = nullptr;

} // namespace

extern "C" void marsGpuEmulatorBarrier(void *state) {
  static_cast<FiberBlock *>(state)->arrive();
}

void mars::gpu_emulator::launch(HostKernel fn, bool barriers, unsigned gridX,
                                unsigned gridY, void *ptrs, void *meta) {
  const int64_t block = codegen::kGpuBlockSize;
  // Launches from several runtime threads take turns: a block's threads are
  // many already.
  static std::mutex one;
  std::lock_guard<std::mutex> lock(one);
  std::vector<uint8_t> workgroup(block * 8);
  for (unsigned y = 0; y < gridY; ++y)
    for (unsigned x = 0; x < gridX; ++x) {
      if (!barriers) {
        for (int64_t t = 0; t < block; ++t)
          fn(ptrs, meta, t, x, y, gridX, gridY, nullptr, nullptr);
        continue;
      }
      static FiberBlock threads(block);
      threads.run([&](int64_t t, void *barrier) {
        fn(ptrs, meta, t, x, y, gridX, gridY, workgroup.data(), barrier);
      });
    }
}

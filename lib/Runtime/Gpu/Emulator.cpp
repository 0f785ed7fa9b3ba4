//===- Emulator.cpp - GPU kernels run on the CPU, for testing -------------===//

#include "Emulator.h"

#include "mars/Conversion/ChunkKernel.h"

#include <functional>
#include <mutex>
#include <ucontext.h>
#include <vector>

namespace {

#if defined(__x86_64__)
// A fiber switch in user space: the callee-saved registers and the SSE and
// x87 control words go on the old stack, its pointer into *from, and the
// new stack's are popped. swapcontext() also saves and restores the signal
// mask, a system call per switch: a tree reduction's block switches
// 256 fibers at each of its 10 barriers per output, and with ucontext the
// emulator spent about 40 ms a block in the kernel.
extern "C" void marsFiberSwitch(void **from, void *to);
asm(R"(
  .text
  .p2align 4
  .globl marsFiberSwitch
  .hidden marsFiberSwitch
  .type marsFiberSwitch,@function
marsFiberSwitch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size marsFiberSwitch, .-marsFiberSwitch
)");

/// A suspended fiber or scheduler: its saved stack pointer.
struct Context {
  void *sp = nullptr;
};

/// Prepares a fiber on [stack, stack + size) that starts in `entry` (which
/// must never return) at its first switch.
void makeContext(Context &c, char *stack, size_t size, void (*entry)()) {
  auto top = reinterpret_cast<uintptr_t>(stack + size) & ~uintptr_t(15);
  auto *words = reinterpret_cast<uint64_t *>(top);
  words[-1] = 0;                                  // entry's return address
  words[-2] = reinterpret_cast<uint64_t>(entry);  // popped by `ret`
  for (int r = 3; r <= 8; ++r)                    // rbp rbx r12 r13 r14 r15
    words[-r] = 0;
  words[-9] = 0x1F80 | (uint64_t(0x037F) << 32);  // MXCSR, x87 control word
  c.sp = &words[-9];
}

void switchContext(Context &from, Context &to) {
  marsFiberSwitch(&from.sp, to.sp);
}
#else
// Elsewhere ucontext: correct, a system call per switch.
struct Context {
  ucontext_t uc;
};

void makeContext(Context &c, char *stack, size_t size, void (*entry)()) {
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack;
  c.uc.uc_stack.ss_size = size;
  c.uc.uc_link = nullptr;
  makecontext(&c.uc, entry, 0);
}

void switchContext(Context &from, Context &to) { swapcontext(&from.uc, &to.uc); }
#endif

/// One block's threads as fibers on the calling thread: each runs until it
/// reaches a barrier or returns, in thread order, and the next round starts
/// when all have; with uniform barriers (every kernel's) that is a GPU
/// block's barrier semantics, at a context switch per arrival.
class FiberBlock {
public:
  using Body = std::function<void(int64_t thread, void *barrier)>;

  explicit FiberBlock(int64_t threads)
      : fibers(threads), finished(threads), stacks(threads * kStack) {}

  void run(Body b) {
    body = std::move(b);
    const int64_t n = static_cast<int64_t>(fibers.size());
    for (int64_t t = 0; t < n; ++t) {
      makeContext(fibers[t], stacks.data() + t * kStack, kStack,
                  &FiberBlock::entry);
      finished[t] = false;
    }
    int64_t left = n;
    while (left > 0)
      for (current = 0; current < n; ++current) {
        if (finished[current])
          continue;
        active = this;
        switchContext(scheduler, fibers[current]);
        if (finished[current])
          --left;
      }
  }

  /// gpu.barrier: back to the scheduler until the next round.
  void arrive() { switchContext(fibers[current], scheduler); }

private:
  static constexpr size_t kStack = 64 << 10;
  /// A fiber's whole life: the body, then back to the scheduler for good
  /// (a fiber never returns from its first frame).
  static void entry() {
    FiberBlock *self = active;
    int64_t t = self->current;
    self->body(t, self);
    self->finished[t] = true;
    switchContext(self->fibers[t], self->scheduler);
    __builtin_unreachable();
  }

  static thread_local FiberBlock *active;
  std::vector<Context> fibers;
  std::vector<bool> finished;
  std::vector<char> stacks;
  Context scheduler;
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

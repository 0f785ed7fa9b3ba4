//===- KernelArgs.h - Encoding a chunk kernel's arguments -------*- C++ -*-===//
//
// The `ptrs` and `meta` arrays of one kernel launch, encoded at the indices
// codegen::KernelABI gives (the layout ChunkKernel.h describes, which the
// emitters load from). The CPU and GPU launches both build their arguments
// here, from host or device addresses.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_RUNTIME_KERNELARGS_H
#define MARS_RUNTIME_KERNELARGS_H

#include "mars/Conversion/ChunkKernel.h"
#include "mars/Dialect/Mars/IR/ChunkRules.h"
#include "mars/Tiling/ChunkGrid.h"

#include <cstdint>
#include <vector>

namespace mars::chunked {

class KernelArgs {
public:
  /// A launch of `src`'s kernel over `box` of its iteration space.
  KernelArgs(const codegen::KernelSource &src, const tiling::Box &box,
             bool gpu);

  /// The next input, in `src.inputs` order: the address of its region's
  /// first element, the region's strides (elements) and how the iteration
  /// dimensions and inner reductions step through it.
  void addInput(uint64_t address, const tiling::FusedInputMap &map,
                llvm::ArrayRef<int64_t> strides);
  /// The output (a reduction's partial): its address and strides along
  /// its own dimensions (a partial's keepdims dimensions included).
  void setOutput(uint64_t address, llvm::ArrayRef<int64_t> strides);
  /// A deviations kernel's means, an argmin/argmax kernel's indices.
  void setCenter(uint64_t address);
  /// CPU: whether the kernel splits the box over the calling thread's
  /// OpenMP team (false: it runs on the calling thread alone).
  void setThreaded(bool threaded);
  /// GPU: the block partials' scratch, the error flag and the blocks per
  /// output element.
  void setGpuScratch(uint64_t scratch, uint64_t errorFlag, int64_t splits);

  /// The finished arrays (every input added).
  const std::vector<uint64_t> &ptrs() const { return ptrWords; }
  const std::vector<int64_t> &meta();

private:
  codegen::KernelABI abi;
  const codegen::KernelSource &src;
  unsigned inputsAdded = 0;
  std::vector<uint64_t> ptrWords;
  std::vector<int64_t> metaWords;
  std::vector<int64_t> inner;
};

} // namespace mars::chunked

#endif // MARS_RUNTIME_KERNELARGS_H

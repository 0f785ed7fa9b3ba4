//===- KernelArgs.cpp - Encoding a chunk kernel's arguments ----------------===//
//
// See KernelArgs.h.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/KernelArgs.h"

#include <cassert>

using namespace mlir;
using namespace mars;
using namespace mars::chunked;

KernelArgs::KernelArgs(const codegen::KernelSource &src,
                       const tiling::Box &box, bool gpu)
    : abi(static_cast<unsigned>(box.rank()),
          static_cast<unsigned>(src.inputs.size()), gpu),
      src(src), ptrWords(abi.numPtrs(), 0), metaWords(abi.innerStrides(), 0) {
  for (unsigned d = 0; d < abi.rank; ++d) {
    metaWords[abi.size(d)] = box.hi[d] - box.lo[d];
    metaWords[abi.origin(d)] = box.lo[d];
  }
}

void KernelArgs::addInput(uint64_t address, const tiling::FusedInputMap &map,
                          ArrayRef<int64_t> strides) {
  const unsigned i = inputsAdded++;
  assert(i < abi.numInputs && "more inputs than the kernel reads");
  ptrWords[abi.input(i)] = address;
  // 0 where the input broadcasts along the iteration dimension.
  for (unsigned d = 0; d < abi.rank; ++d) {
    int64_t e = map.iterDims[d];
    metaWords[abi.stride(i, d)] = e < 0 ? 0 : strides[e];
  }
  for (int64_t e : map.reducedDims)
    inner.push_back(e < 0 ? 0 : strides[e]);
}

void KernelArgs::setOutput(uint64_t address, ArrayRef<int64_t> strides) {
  ptrWords[abi.output()] = address;
  if (!src.reduction) {
    for (unsigned d = 0; d < abi.rank; ++d)
      metaWords[abi.outputStride(d)] = strides[d];
    return;
  }
  // A partial stands still along the reduced dimensions.
  SmallVector<int64_t> axes = codegen::kernelReducedDims(src.reduction);
  bool keep = cast<ReductionOpInterface>(src.reduction).getKeepdims();
  for (unsigned d = 0, o = 0; d < abi.rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    metaWords[abi.outputStride(d)] = reduced ? 0 : strides[o];
    if (!reduced || keep)
      ++o;
  }
}

void KernelArgs::setCenter(uint64_t address) {
  ptrWords[abi.center()] = address;
}

void KernelArgs::setThreaded(bool threaded) {
  assert(!abi.gpu && "a GPU launch sets its splits instead");
  metaWords[abi.threaded()] = threaded ? 1 : 0;
}

void KernelArgs::setGpuScratch(uint64_t scratch, uint64_t errorFlag,
                               int64_t splits) {
  assert(abi.gpu && "scratch is a GPU kernel's");
  ptrWords[abi.scratch()] = scratch;
  ptrWords[abi.errorFlag()] = errorFlag;
  metaWords[abi.splits()] = splits;
}

const std::vector<int64_t> &KernelArgs::meta() {
  assert(inputsAdded == abi.numInputs && "an input is missing");
  metaWords.resize(abi.innerStrides());
  metaWords.insert(metaWords.end(), inner.begin(), inner.end());
  return metaWords;
}

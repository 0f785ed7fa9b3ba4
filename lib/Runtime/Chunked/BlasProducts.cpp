//===- BlasProducts.cpp - matmul and tensordot steps through BLAS ---------===//
//
// A product step whose operands are f32/f64 matrices or vectors contracting
// one axis is one OpenBLAS (or cuBLAS) call accumulating into the output
// chunk; a.dot(a.T) with square chunks computes the blocks on and above the
// diagonal (syrk) and mirrors the others. A step of a stack of products is
// one OpenBLAS call per matrix of the chunk's batch range.
//
//===----------------------------------------------------------------------===//

#include "mars/Runtime/ChunkTasks.h"

using namespace mlir;
using namespace mars;
using namespace mars::chunked;
using namespace mars::tiling;

bool ChunkTasks::blasShapes(Operation *op) {
  if (!isa<MatmulOp, TensordotOp>(op) || isCsr(op->getOperand(0)))
    return false;
  DType dtype = dtypeOf(op->getResult(0));
  // Stacks of matrices: one call per matrix, on the CPU.
  if (isa<MatmulOp>(op) && shapeOf(op->getOperand(0)).size() > 2)
    return !options.gpu && (dtype == DType::F32 || dtype == DType::F64);
  Contraction contraction(op);
  return (dtype == DType::F32 || dtype == DType::F64) &&
         contraction.contractedDims(0).size() == 1 &&
         contraction.contractedDims(1).size() == 1 &&
         shapeOf(op->getOperand(0)).size() <= 2 &&
         shapeOf(op->getOperand(1)).size() <= 2;
}

MatrixView ChunkTasks::blasOperand(Operation *op, unsigned i,
                                         const Box &region,
                                         int64_t contracted,
                                         ChunkedArray::View &keep) {
  // Vectors are 1 x K (left) and K x 1 (right) matrices.
  bool left = i == 0;
  Value v = op->getOperand(i);
  Box src = region;
  auto lazy = lazyTransposes.find(v);
  if (lazy != lazyTransposes.end()) {
    // The transposed region of the transpose's input, flagged transposed.
    src = Box{{region.lo[1], region.lo[0]}, {region.hi[1], region.hi[0]}};
    keep = values.find(lazy->second)->second.view(src);
    contracted = 1 - contracted;
  } else {
    keep = operand(op, i).view(region);
  }
  Shape sizes = src.sizes();
  if (sizes.size() == 1)
    return left ? MatrixView{keep.base, 1, sizes[0], sizes[0], false}
                : MatrixView{keep.base, sizes[0], 1, 1, false};
  bool transposed = left ? contracted == 0 : contracted == 1;
  return MatrixView{keep.base, sizes[0], sizes[1],
                    std::max<int64_t>(keep.strides[0], 1), transposed};
}

llvm::Error ChunkTasks::blasProduct(Operation *op,
                                    const Contraction &contraction,
                                    const Box &box, uint8_t *out,
                                    int64_t ldc) {
  DType dtype = dtypeOf(op->getResult(0));
  // On the GPU: every step accumulates into one device buffer, written back
  // once (and kept there for the chunk's readers).
  std::unique_ptr<CudaDevice::Task> gpuTask;
  uint64_t deviceOut = 0;
  int64_t outRows = 0, outCols = 0, outLd = 0;
  ArrayRef<int64_t> ca = contraction.contractedDims(0);
  ArrayRef<int64_t> cb = contraction.contractedDims(1);
  // The output is M x N: rows `ldc` apart (rank 2), or one row or column
  // (rank <= 1).
  const bool matrix = shapeOf(op->getResult(0)).size() == 2;
  // A block on the diagonal of a.dot(a.T) is a sum of A_i A_i^T: syrk
  // computes its upper triangle in half of gemm's flops and the lower one
  // is mirrored at the end (as numpy's syrk does for the whole product).
  const bool diagonal = !options.gpu && matrix && isSymmetricProduct(op) &&
                        box.lo[0] == box.lo[1] && box.hi[0] == box.hi[1];
  bool syrkSteps = false, gemmSteps = false;
  for (int64_t s = 0, steps = contraction.steps().numChunks(); s < steps;
       ++s) {
    Box ra = contraction.operandRegion(0, box, s);
    Box rb = contraction.operandRegion(1, box, s);
    if (ra.empty() || rb.empty())
      continue;
    ChunkedArray::View va, vb;
    MatrixView a = blasOperand(op, 0, ra, ca[0], va);
    MatrixView b = blasOperand(op, 1, rb, cb[0], vb);
    const int64_t n = b.transposed ? b.rows : b.cols;
    const int64_t ld = matrix ? ldc : std::max<int64_t>(n, 1);
    if (!options.gpu) {
      if (diagonal && isGramProduct(a, b)) {
        timeCompiled([&] { syrkAccumulate(dtype, a, out, ld); });
        syrkSteps = true;
      } else {
        timeCompiled([&] { gemmAccumulate(dtype, a, b, out, ld); });
        gemmSteps = true;
      }
      continue;
    }
    llvm::Error error = llvm::Error::success();
    timeCompiled([&] {
      if (!gpuTask) {
        gpuTask = options.gpu->beginTask();
        outRows = a.transposed ? a.cols : a.rows;
        outCols = n;
        outLd = ld;
        auto buffer = gpuTask->buffer(static_cast<size_t>(outRows * outCols) *
                                      numeric::dtypeSize(dtype));
        if (!buffer) {
          error = buffer.takeError();
          return;
        }
        deviceOut = *buffer;
      }
      error = gpuTask->gemmAccumulate(dtype, a, b, deviceOut, outRows, outCols);
    });
    if (error)
      return error;
  }
  if (syrkSteps) {
    if (gemmSteps)
      return makeError("internal error: a diagonal block of a symmetric "
                       "product mixed syrk and gemm steps");
    timeCompiled([&] { mirrorUpper(dtype, out, box.sizes()[0], ldc); });
  }
  if (!gpuTask)
    return llvm::Error::success();
  HostRegion to{out, {outRows, outCols}, {outLd, 1}, numeric::dtypeSize(dtype)};
  return gpuTask->writeBack(deviceOut, to, /*keep=*/true);
}

llvm::Error ChunkTasks::blasStackProduct(Operation *op,
                                         const Contraction &contraction,
                                         const Box &box, uint8_t *out,
                                         ArrayRef<int64_t> outStrides) {
  DType dtype = dtypeOf(op->getResult(0));
  const size_t elt = numeric::dtypeSize(dtype);
  const int64_t r = box.rank();
  const Shape sizes = box.sizes();
  int64_t batch = 1;
  for (int64_t d = 0; d < r - 2; ++d)
    batch *= sizes[d];
  for (int64_t s = 0, steps = contraction.steps().numChunks(); s < steps;
       ++s) {
    Box ra = contraction.operandRegion(0, box, s);
    Box rb = contraction.operandRegion(1, box, s);
    if (ra.empty() || rb.empty())
      continue;
    ChunkedArray::View va = operand(op, 0).view(ra);
    ChunkedArray::View vb = operand(op, 1).view(rb);
    const Shape sa = ra.sizes(), sb = rb.sizes();
    // Row-major views: the last dimension is contiguous, rows are
    // strides[r - 2] apart (at least a row's width, as BLAS asks).
    const int64_t lda = std::max(va.strides[r - 2], std::max<int64_t>(sa[r - 1], 1));
    const int64_t ldb = std::max(vb.strides[r - 2], std::max<int64_t>(sb[r - 1], 1));
    const int64_t ldc = std::max(outStrides[r - 2], std::max<int64_t>(sizes[r - 1], 1));
    timeCompiled([&] {
      Shape index(r - 2, 0);
      for (int64_t i = 0; i < batch; ++i) {
        int64_t oa = 0, ob = 0, oc = 0;
        for (int64_t d = 0; d < r - 2; ++d) {
          oa += index[d] * va.strides[d];
          ob += index[d] * vb.strides[d];
          oc += index[d] * outStrides[d];
        }
        MatrixView a{va.base + oa * elt, sa[r - 2], sa[r - 1], lda, false};
        MatrixView b{vb.base + ob * elt, sb[r - 2], sb[r - 1], ldb, false};
        gemmAccumulate(dtype, a, b, out + oc * elt, ldc);
        for (int64_t d = r - 3; d >= 0; --d) {
          if (++index[d] < sizes[d])
            break;
          index[d] = 0;
        }
      }
    });
  }
  return llvm::Error::success();
}

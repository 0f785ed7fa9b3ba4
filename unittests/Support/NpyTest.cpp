//===- NpyTest.cpp - .npy round trips and malformed headers ---------------===//

#include "mars/Support/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

using namespace mars;
using namespace mars::numeric;

namespace {

class NpyTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mars-npy-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }
  std::string path(const char *name) { return (dir + "/" + name).str(); }

  /// Writes a file with a version-1 header holding `dict` and `data`.
  std::string writeRaw(const char *name, const std::string &dict,
                       const std::string &data = "") {
    std::string header = dict + "\n";
    std::string bytes = "\x93NUMPY";
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    bytes += header + data;
    std::string p = path(name);
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    os << bytes;
    return p;
  }

  std::string readError(const std::string &p) {
    auto r = readNpy(p);
    EXPECT_FALSE(bool(r));
    return r ? "" : llvm::toString(r.takeError());
  }

  llvm::SmallString<128> dir;
};

TEST_F(NpyTest, RoundTripsEveryDType) {
  for (DType d : {DType::Bool, DType::I32, DType::I64, DType::F32, DType::F64}) {
    NDArray a(d, {3, 0 + 2});
    for (int64_t i = 0; i < a.size(); ++i)
      visitDType(d, [&](auto tag) {
        a.data<decltype(tag)>()[i] = static_cast<decltype(tag)>(i % 2 + i);
      });
    std::string p = path("a.npy");
    ASSERT_FALSE(bool(writeNpy(p, a)));
    auto b = readNpy(p);
    ASSERT_TRUE(bool(b)) << llvm::toString(b.takeError());
    EXPECT_EQ(b->dtype(), d);
    EXPECT_EQ(b->shape(), a.shape());
    EXPECT_EQ(0, std::memcmp(a.bytes(), b->bytes(), a.nbytes()));
  }
}

TEST_F(NpyTest, HeaderIsAlignedTo64Bytes) {
  NDArray a(DType::F64, {});
  std::string p = path("scalar.npy");
  ASSERT_FALSE(bool(writeNpy(p, a)));
  auto header = readNpyHeader(p);
  ASSERT_TRUE(bool(header));
  EXPECT_EQ(header->dataOffset % 64, 0u);
  EXPECT_EQ(header->shape, Shape{});
}

TEST_F(NpyTest, ReadsPython2StyleShapes) {
  std::string p = writeRaw(
      "py2.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (2L,), }",
      std::string(8, '\0'));
  auto a = readNpy(p);
  ASSERT_TRUE(bool(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->shape(), Shape{2});
}

TEST_F(NpyTest, RejectsWhatItCannotRead) {
  EXPECT_NE(readError(writeRaw("f.npy", "{'descr': '<f8', 'fortran_order': "
                                        "True, 'shape': (2,), }",
                               std::string(16, '\0')))
                .find("Fortran-order arrays are not supported"),
            std::string::npos);
  EXPECT_NE(readError(writeRaw("be.npy", "{'descr': '>f8', 'fortran_order': "
                                         "False, 'shape': (2,), }",
                               std::string(16, '\0')))
                .find("big-endian"),
            std::string::npos);
  EXPECT_NE(readError(writeRaw("c.npy", "{'descr': '<c32', 'fortran_order': "
                                        "False, 'shape': (2,), }"))
                .find("dtype '<c32' is not supported"),
            std::string::npos);
  EXPECT_NE(readError(writeRaw("t.npy", "{'descr': '<f8', 'fortran_order': "
                                        "False, 'shape': (4,), }",
                               std::string(16, '\0')))
                .find("file is truncated: shape (4,) of float64 needs 32 data "
                      "bytes, found 16"),
            std::string::npos);
  EXPECT_NE(readError(writeRaw("m.npy", "{'descr': '<f8', 'shape': (4,), }"))
                .find("must have 'descr', 'fortran_order' and 'shape'"),
            std::string::npos);
  EXPECT_NE(readError(writeRaw("huge.npy", "{'descr': '<f8', 'fortran_order': "
                                           "False, 'shape': (99999999999, "
                                           "99999999999), }"))
                .find("is too large"),
            std::string::npos);
  EXPECT_NE(readError(path("missing.npy")).find("cannot read"),
            std::string::npos);
}

TEST_F(NpyTest, BoolBytesAreNormalised) {
  std::string p = writeRaw(
      "b.npy", "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }",
      std::string("\x00\x07", 2));
  auto a = readNpy(p);
  ASSERT_TRUE(bool(a));
  EXPECT_EQ(a->bytes()[1], 1);
}

// Boxes read and written chunk by chunk: whole rows (one contiguous run),
// whole planes, and boxes cut in every dimension, ragged at the far edge.
TEST_F(NpyTest, BoxesReadAndWriteInPlace) {
  Shape shape = {5, 4, 6};
  NDArray a(DType::I64, shape);
  for (int64_t i = 0; i < 5 * 4 * 6; ++i)
    a.data<int64_t>()[i] = i;
  std::string in = path("box.npy");
  ASSERT_FALSE(bool(writeNpy(in, a)));
  auto header = readNpyHeader(in);
  ASSERT_TRUE(bool(header));
  auto writer = NpyBoxWriter::create(path("out.npy"), DType::I64, shape);
  ASSERT_TRUE(bool(writer));
  const std::vector<std::pair<Shape, Shape>> boxes = {
      {{0, 0, 0}, {2, 4, 6}}, // Whole planes.
      {{2, 0, 0}, {1, 4, 6}},
      {{3, 0, 0}, {2, 2, 6}}, // Whole rows of part of a plane.
      {{3, 2, 0}, {2, 2, 4}}, // Cut in every dimension.
      {{3, 2, 4}, {2, 2, 2}},
  };
  for (const auto &[lo, sizes] : boxes) {
    auto box = readNpyBox(in, *header, lo, sizes);
    ASSERT_TRUE(bool(box)) << llvm::toString(box.takeError());
    for (int64_t i = 0; i < sizes[0]; ++i)
      for (int64_t j = 0; j < sizes[1]; ++j)
        for (int64_t k = 0; k < sizes[2]; ++k)
          ASSERT_EQ(box->data<int64_t>()[(i * sizes[1] + j) * sizes[2] + k],
                    ((lo[0] + i) * 4 + lo[1] + j) * 6 + lo[2] + k);
    ASSERT_FALSE(bool((*writer)->writeBox(lo, *box)));
  }
  ASSERT_FALSE(bool((*writer)->commit()));
  auto back = readNpy(path("out.npy"));
  ASSERT_TRUE(bool(back));
  for (int64_t i = 0; i < 5 * 4 * 6; ++i)
    ASSERT_EQ(back->data<int64_t>()[i], i);
}

} // namespace

//===- HalfTest.cpp - float16 conversions against LLVM's APFloat ----------===//
//
// Half's conversions are bit manipulations; APFloat's IEEE half with
// round-to-nearest-even is the independent reference: every float16 to
// float, and to float16 from every float16's neighbourhood (the midpoints
// between consecutive float16 values and the floats and doubles next to
// them, where a rounding that goes through float32 first would differ),
// subnormals, overflow, NaN and both zeros.
//
//===----------------------------------------------------------------------===//

#include "mars/Numeric/NDArray.h"

#include "llvm/ADT/APFloat.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mars::numeric;
using llvm::APFloat;

namespace {

uint16_t reference(APFloat v) {
  bool lost;
  v.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
  return static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue());
}

/// Equal bits, or both NaN with the same sign.
void expectSame(uint16_t got, uint16_t want, double from) {
  bool gotNaN = (got & 0x7c00) == 0x7c00 && (got & 0x3ff);
  bool wantNaN = (want & 0x7c00) == 0x7c00 && (want & 0x3ff);
  if (wantNaN) {
    EXPECT_TRUE(gotNaN) << from;
    EXPECT_EQ(got & 0x8000, want & 0x8000) << from;
    return;
  }
  EXPECT_EQ(got, want) << "from " << from;
}

TEST(HalfTest, EveryHalfConvertsToFloatExactly) {
  for (uint32_t bits = 0; bits < 65536; ++bits) {
    Half h = Half::fromBits(static_cast<uint16_t>(bits));
    APFloat ref(APFloat::IEEEhalf(), llvm::APInt(16, bits));
    bool lost;
    ref.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    float f = h.toFloat();
    if (ref.isNaN()) {
      EXPECT_TRUE(std::isnan(f));
      EXPECT_EQ(std::signbit(f), ref.isNegative());
      continue;
    }
    EXPECT_EQ(f, ref.convertToFloat()) << bits;
    EXPECT_EQ(std::signbit(f), ref.isNegative()) << bits;
    // And back, from float and from double, unchanged.
    EXPECT_EQ(Half::fromFloat(f).bits, bits);
    EXPECT_EQ(Half::fromDouble(f).bits, bits);
  }
}

TEST(HalfTest, RoundingNearMidpointsMatchesAPFloat) {
  // Between each pair of consecutive finite float16 values (and past the
  // largest, toward the overflow threshold 65520): the midpoint, and the
  // floats and doubles just below and above it.
  for (uint32_t bits = 0; bits < 0x7c00; ++bits) {
    for (double sign : {1.0, -1.0}) {
      double lo = Half::fromBits(bits).toFloat();
      double hi = bits + 1 < 0x7c00 ? Half::fromBits(bits + 1).toFloat()
                                    : 65536.0; // the next exponent's step
      double mid = sign * (lo + hi) / 2;
      for (double d : {mid, std::nextafter(mid, 0.0),
                       std::nextafter(mid, sign * 1e9), sign * lo, sign * hi,
                       mid + sign * std::ldexp(std::fabs(mid), -40)}) {
        expectSame(Half::fromDouble(d).bits, reference(APFloat(d)), d);
        float f = static_cast<float>(d);
        for (float g : {f, std::nextafter(f, 0.0f),
                        std::nextafter(f, static_cast<float>(sign) * 1e9f)})
          expectSame(Half::fromFloat(g).bits, reference(APFloat(g)), g);
      }
    }
  }
}

TEST(HalfTest, RandomFloatsAndDoublesMatchAPFloat) {
  std::mt19937_64 rng(16);
  for (int i = 0; i < 2000000; ++i) {
    uint64_t r = rng();
    uint32_t fb = static_cast<uint32_t>(r);
    float f;
    std::memcpy(&f, &fb, 4);
    expectSame(Half::fromFloat(f).bits, reference(APFloat(f)), f);
    double d;
    std::memcpy(&d, &r, 8);
    expectSame(Half::fromDouble(d).bits, reference(APFloat(d)), d);
    // Doubles in float16's range, where the rounding matters.
    double e = std::ldexp(static_cast<double>(r >> 11) * 0x1p-53,
                          static_cast<int>(r % 44) - 28);
    expectSame(Half::fromDouble(e).bits, reference(APFloat(e)), e);
  }
}

TEST(HalfTest, SpecialValues) {
  EXPECT_EQ(Half::fromDouble(-0.0).bits, 0x8000);
  EXPECT_EQ(Half::fromFloat(0.0f).bits, 0x0000);
  EXPECT_EQ(Half::fromDouble(65519.99).bits, 0x7bff);
  EXPECT_EQ(Half::fromDouble(65520.0).bits, 0x7c00);
  EXPECT_EQ(Half::fromDouble(-INFINITY).bits, 0xfc00);
  EXPECT_EQ(Half::fromDouble(0x1p-25).bits, 0x0000);  // The tie: to even.
  EXPECT_EQ(Half::fromDouble(0x1.8p-25).bits, 0x0001);
  EXPECT_EQ(Half::fromDouble(1e300).bits, 0x7c00);
  EXPECT_EQ(Half::fromDouble(std::nan("")).bits & 0x7e00, 0x7e00);
  // float64 rounds once: through float32 this would be the tie, to even.
  EXPECT_EQ(Half::fromDouble(1 + 0x1p-11 + 0x1p-40).bits, 0x3c01);
  EXPECT_EQ(Half::fromFloat(static_cast<float>(1 + 0x1p-11 + 0x1p-40)).bits,
            0x3c00);
}

} // namespace

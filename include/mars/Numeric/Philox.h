//===- Philox.h - Counter-based random numbers (Philox4x32-10) --*- C++ -*-===//
//
// Every Mars random op draws element `i` of its result from one Philox4x32-10
// block keyed by the op's seed with counter = i (the flat C-order index in the
// whole, untiled tensor). Any chunk, thread, node or GPU that knows an
// element's global index therefore produces exactly the same number.
//
// Mapping of the four 32-bit output words (w0..w3) to values:
//   uniform f64:  u = ((w0 << 32 | w1) >> 11) * 2^-53 in [0, 1);
//                 low + (high - low) * u, in double.
//   uniform f32:  u = (w0 >> 8) * 2^-24 in [0, 1); low + (high - low) * u in
//                 float (float(low), float(high - low)).
//   normal:       Box-Muller on u1 = (53-bit(w0, w1) + 1) * 2^-53 in (0, 1]
//                 and u2 = 53-bit(w2, w3) * 2^-53; loc + scale * z in double,
//                 rounded to f32 for f32 tensors.
//   integers:     low + ((w0 << 32 | w1) * (high - low)) >> 64 (Lemire's
//                 multiply-shift, 128-bit product): uniform on [low, high).
//
// As in numpy, rounding may let a float uniform reach `high`.
//
//===----------------------------------------------------------------------===//

#ifndef MARS_NUMERIC_PHILOX_H
#define MARS_NUMERIC_PHILOX_H

#include <array>
#include <cmath>
#include <cstdint>

namespace mars::numeric {

using PhiloxBlock = std::array<uint32_t, 4>;

/// Philox4x32 with 10 rounds (Salmon et al., SC'11), as in Random123.
inline PhiloxBlock philox4x32_10(PhiloxBlock ctr, std::array<uint32_t, 2> key) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = static_cast<uint64_t>(kMul0) * ctr[0];
    uint64_t p1 = static_cast<uint64_t>(kMul1) * ctr[2];
    uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    ctr = {hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0};
    key[0] += kWeyl0;
    key[1] += kWeyl1;
  }
  return ctr;
}

/// The block for element `index` of a random op with `seed`.
inline PhiloxBlock randomBlock(uint64_t seed, uint64_t index) {
  return philox4x32_10({static_cast<uint32_t>(index),
                        static_cast<uint32_t>(index >> 32), 0u, 0u},
                       {static_cast<uint32_t>(seed),
                        static_cast<uint32_t>(seed >> 32)});
}

inline uint64_t join64(uint32_t hi, uint32_t lo) {
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

inline double uniformF64(uint64_t seed, uint64_t index, double low,
                         double high) {
  PhiloxBlock w = randomBlock(seed, index);
  double u = static_cast<double>(join64(w[0], w[1]) >> 11) * 0x1.0p-53;
  return low + (high - low) * u;
}

inline float uniformF32(uint64_t seed, uint64_t index, double low,
                        double high) {
  PhiloxBlock w = randomBlock(seed, index);
  float u = static_cast<float>(w[0] >> 8) * 0x1.0p-24f;
  return static_cast<float>(low) + static_cast<float>(high - low) * u;
}

inline double normalF64(uint64_t seed, uint64_t index, double loc,
                        double scale) {
  PhiloxBlock w = randomBlock(seed, index);
  double u1 = static_cast<double>((join64(w[0], w[1]) >> 11) + 1) * 0x1.0p-53;
  double u2 = static_cast<double>(join64(w[2], w[3]) >> 11) * 0x1.0p-53;
  double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  return loc + scale * z;
}

inline int64_t integerInRange(uint64_t seed, uint64_t index, int64_t low,
                              int64_t high) {
  PhiloxBlock w = randomBlock(seed, index);
  uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  unsigned __int128 product =
      static_cast<unsigned __int128>(join64(w[0], w[1])) * range;
  return static_cast<int64_t>(static_cast<uint64_t>(low) +
                              static_cast<uint64_t>(product >> 64));
}

} // namespace mars::numeric

#endif // MARS_NUMERIC_PHILOX_H

/* The limit of Monte Carlo pi in Mars: the same doubles, drawn by a
 * standalone Philox4x32-10 loop, with nothing else of the runtime around it.
 *
 * Mars draws element i of `mars.random_uniform seed = S` (a tensor<Nx2xf64>
 * in the benchmark's program) from one Philox4x32-10 block with counter
 * (i, i >> 32, 0, 0) and key (S, S >> 32), as 53 bits of its first two words
 * scaled to [0, 1) and then to [low, high) (include/mars/Numeric/Philox.h).
 * Point p is elements 2p and 2p + 1; it is inside when sqrt(x*x + y*y) < 1,
 * the program's own operations in its order, so the count, and pi, are
 * Mars's bit for bit (bench/cpu_kernels.py checks that).
 *
 * Every core (OpenMP, one contiguous range of points each, as Mars's
 * chunks), eight points at a time in AVX-512 where the CPU has it (the
 * compiler's own vectorisation of the C loop multiplies 64-bit lanes and
 * runs at half of this), the C loop elsewhere: built by
 * bench/cpu_kernels.py with `cc -O3 -march=native -ffp-contract=off
 * -fno-math-errno -fopenmp` (no fused multiply-add: Mars's kernel has none).
 * Usage: philox_limit POINTS SEED REPEAT; prints the median seconds of one
 * count over the points, then the count. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Element `index` of a uniform draw on [low, high) with `seed`. */
static inline double uniform(uint64_t seed, uint64_t index, double low,
                             double high) {
  uint32_t c0 = (uint32_t)index, c1 = (uint32_t)(index >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = (uint64_t)0xD2511F53u * c0;
    uint64_t p1 = (uint64_t)0xCD9E8D57u * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1, n3 = (uint32_t)p0;
    c0 = n0;
    c1 = n1;
    c2 = n2;
    c3 = n3;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  uint64_t bits = ((uint64_t)c0 << 32 | c1) >> 11;
  return low + (high - low) * ((double)bits * 0x1.0p-53);
}

#ifdef __AVX512DQ__
#include <immintrin.h>

/* uniform() of 8 indices at once, each in a 64-bit lane: the 32x32-bit
 * products of a round are one vpmuludq each (the compiler, given the C
 * above, multiplies 64-bit lanes). */
static inline __m512d uniform8(__m512i index, uint64_t seed, double low,
                               double high) {
  const __m512i lo32 = _mm512_set1_epi64(0xFFFFFFFFu);
  __m512i c0 = _mm512_and_si512(index, lo32);
  __m512i c1 = _mm512_srli_epi64(index, 32);
  __m512i c2 = _mm512_setzero_si512(), c3 = _mm512_setzero_si512();
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  const __m512i m0 = _mm512_set1_epi64(0xD2511F53u);
  const __m512i m1 = _mm512_set1_epi64(0xCD9E8D57u);
  for (int round = 0; round < 10; ++round) {
    __m512i p0 = _mm512_mul_epu32(c0, m0), p1 = _mm512_mul_epu32(c2, m1);
    __m512i n0 = _mm512_xor_si512(
        _mm512_xor_si512(_mm512_srli_epi64(p1, 32), c1), _mm512_set1_epi64(k0));
    __m512i n2 = _mm512_xor_si512(
        _mm512_xor_si512(_mm512_srli_epi64(p0, 32), c3), _mm512_set1_epi64(k1));
    c1 = _mm512_and_si512(p1, lo32);
    c3 = _mm512_and_si512(p0, lo32);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  __m512i bits = _mm512_srli_epi64(
      _mm512_or_si512(_mm512_slli_epi64(c0, 32), c1), 11);
  __m512d u = _mm512_mul_pd(_mm512_cvtepu64_pd(bits), _mm512_set1_pd(0x1.0p-53));
  return _mm512_add_pd(_mm512_set1_pd(low),
                       _mm512_mul_pd(_mm512_set1_pd(high - low), u));
}
#endif

static int64_t count_inside(int64_t points, uint64_t seed) {
  int64_t inside = 0;
#pragma omp parallel reduction(+ : inside)
  {
    int64_t begin = 0, end = points;
#ifdef _OPENMP
    int threads = omp_get_num_threads(), me = omp_get_thread_num();
    begin = points / threads * me + (me < points % threads ? me : points % threads);
    end = begin + points / threads + (me < points % threads);
#endif
    int64_t p = begin;
#ifdef __AVX512DQ__
    const __m512i lanes = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
    for (; p + 8 <= end; p += 8) {
      __m512i ix = _mm512_add_epi64(_mm512_set1_epi64(2 * p), lanes);
      __m512d x = uniform8(ix, seed, -1.0, 1.0);
      __m512d y = uniform8(_mm512_add_epi64(ix, _mm512_set1_epi64(1)), seed,
                           -1.0, 1.0);
      __m512d r = _mm512_sqrt_pd(
          _mm512_add_pd(_mm512_mul_pd(x, x), _mm512_mul_pd(y, y)));
      inside += __builtin_popcount(
          _mm512_cmp_pd_mask(r, _mm512_set1_pd(1.0), _CMP_LT_OQ));
    }
#endif
    for (; p < end; ++p) {
      double x = uniform(seed, 2 * (uint64_t)p, -1.0, 1.0);
      double y = uniform(seed, 2 * (uint64_t)p + 1, -1.0, 1.0);
      inside += sqrt(x * x + y * y) < 1.0;
    }
  }
  return inside;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: philox_limit POINTS SEED REPEAT\n");
    return 2;
  }
  int64_t points = atoll(argv[1]);
  uint64_t seed = strtoull(argv[2], NULL, 10);
  int repeat = atoi(argv[3]);
  double *times = malloc((repeat + 1) * sizeof(double));
  if (!times || repeat < 1 || points < 0) {
    fprintf(stderr, "philox_limit: bad arguments\n");
    return 2;
  }
  int64_t inside = 0;
  for (int r = 0; r <= repeat; ++r) { /* run 0 warms up */
    double t0 = now();
    inside = count_inside(points, seed);
    times[r] = now() - t0;
  }
  qsort(times + 1, repeat, sizeof(double), compare);
  printf("%.9f\n%lld\n", times[1 + repeat / 2], (long long)inside);
  return 0;
}

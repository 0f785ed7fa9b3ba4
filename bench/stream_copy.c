/* STREAM's copy kernel (c[j] = a[j], every core, OpenMP), the bandwidth
 * reference of bench/cpu_kernels.py: built there with `cc -O2 -fopenmp` as
 * STREAM is, run on arrays of the benchmark's size, warmed up first. With
 * `read`, the read bandwidth instead: the sum of one array (the reference of
 * reductions, which read their inputs and write almost nothing), a SIMD
 * reduction that cpu_kernels.py builds with -march=native.
 * Usage: stream_copy ELEMENTS REPEAT [read]; prints the median seconds of a
 * copy (or sum). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int compare(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: stream_copy ELEMENTS REPEAT [read]\n");
    return 2;
  }
  int read = argc == 4;
  long n = atol(argv[1]);
  int repeat = atoi(argv[2]);
  double *a = malloc(n * sizeof(double)), *c = malloc(n * sizeof(double));
  double *times = malloc((repeat + 1) * sizeof(double));
  if (!a || !c || !times || repeat < 1) {
    fprintf(stderr, "stream_copy: cannot allocate\n");
    return 1;
  }
#pragma omp parallel for
  for (long j = 0; j < n; ++j) {
    a[j] = 1.0;
    c[j] = 0.0;
  }
  double sum = 0;
  for (int r = 0; r <= repeat; ++r) {
    double t0 = now();
    if (read) {
      double s = 0;
#pragma omp parallel for simd reduction(+ : s)
      for (long j = 0; j < n; ++j)
        s += a[j];
      sum = s;
    } else {
#pragma omp parallel for
      for (long j = 0; j < n; ++j)
        c[j] = a[j];
    }
    times[r] = now() - t0;
  }
  qsort(times + 1, repeat, sizeof(double), compare);
  printf("%.9f\n", times[1 + repeat / 2]);
  return read ? sum != (double)n : c[n / 2] != 1.0;
}

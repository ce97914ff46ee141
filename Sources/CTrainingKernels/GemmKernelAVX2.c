// The AVX2 + FMA single-precision GEMM micro-kernel: a 6 x 16 tile of C held in 12 ymm
// accumulators (6 rows x 2 vectors of 8 floats).
//
// Each step p loads two vectors of the packed B panel and, for each of the 6 rows, broadcasts
// one value of the packed A panel and issues two fused multiply-adds: 12 independent FMA chains
// (two FMA units with a latency of 4 to 5 cycles need at least 10). Compiled for AVX2 and FMA
// through a function attribute only; callers must have checked the CPU (ctk_vector_level() >= 2).
#include "GemmInternal.h"

#if CTK_HAVE_X86_GEMM
#include <immintrin.h>

#define AVX2_TARGET __attribute__((target("avx2,fma")))
#define MR 6
#define NR 16

AVX2_TARGET static double tile_sum(__m256 low, __m256 high, const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns);

AVX2_TARGET void ctk_kernel_avx2_6x16(
    ptrdiff_t kc, const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add, double *squares) {
  __m256 acc[MR][2];
  for (int r = 0; r < MR; ++r) {
    // Fetch the tile's rows of C for writing now, so that the stores at the end do not wait.
    __builtin_prefetch(c + r * ldc, 1, 3);
    __builtin_prefetch(c + r * ldc + NR - 1, 1, 3);
    acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  }
  for (ptrdiff_t p = 0; p < kc; ++p) {
    __m256 b0 = _mm256_load_ps(pb);
    __m256 b1 = _mm256_load_ps(pb + 8);
    for (int r = 0; r < MR; ++r) {
      __m256 a = _mm256_broadcast_ss(pa + r);
      acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
    }
    pa += MR;
    pb += NR;
  }
  if (add) {
    CTK_UNROLL_FULLY
    for (int r = 0; r < MR; ++r) {
      acc[r][0] = _mm256_add_ps(_mm256_loadu_ps(c + r * ldc), acc[r][0]);
      acc[r][1] = _mm256_add_ps(_mm256_loadu_ps(c + r * ldc + 8), acc[r][1]);
    }
  }
  CTK_UNROLL_FULLY
  for (int r = 0; r < MR; ++r) {
    _mm256_storeu_ps(c + r * ldc, acc[r][0]);
    _mm256_storeu_ps(c + r * ldc + 8, acc[r][1]);
  }
  if (!squares) return;
  // The squares of the final values, from the registers they were stored from.
  __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
  CTK_UNROLL_FULLY
  for (int r = 0; r < MR; ++r) {
    low = _mm256_fmadd_ps(acc[r][0], acc[r][0], low);
    high = _mm256_fmadd_ps(acc[r][1], acc[r][1], high);
  }
  *squares = tile_sum(low, high, c, ldc, MR, NR);
}

/// The lanes of a vector of 8 that hold the first `count` (clamped to 0...8) columns.
AVX2_TARGET static inline __m256i lane_mask(ptrdiff_t count) {
  ptrdiff_t clamped = count < 0 ? 0 : count > 8 ? 8 : count;
  return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)clamped), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

AVX2_TARGET void ctk_edge_store_avx2(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares) {
  __m256i low_mask = lane_mask(columns), high_mask = lane_mask(columns - 8);
  __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
  for (ptrdiff_t r = 0; r < rows; ++r) {
    float *row = c + r * ldc;
    // Lanes past the columns are dropped: an infinity times B's zero padding is NaN there, which
    // would send the tile to the slower sum in double.
    __m256 first = _mm256_and_ps(_mm256_load_ps(tile + r * NR), _mm256_castsi256_ps(low_mask));
    __m256 second = _mm256_and_ps(_mm256_load_ps(tile + r * NR + 8), _mm256_castsi256_ps(high_mask));
    if (add) {
      first = _mm256_add_ps(_mm256_maskload_ps(row, low_mask), first);
      second = _mm256_add_ps(_mm256_maskload_ps(row + 8, high_mask), second);
    }
    _mm256_maskstore_ps(row, low_mask, first);
    _mm256_maskstore_ps(row + 8, high_mask, second);
    low = _mm256_fmadd_ps(first, first, low);
    high = _mm256_fmadd_ps(second, second, high);
  }
  if (squares) *squares = tile_sum(low, high, c, ldc, rows, columns);
}

/// The first `count` (at most 8) floats of `row`, the rest zero.
AVX2_TARGET static inline __m256 load_part(const float *row, ptrdiff_t count) {
  return _mm256_maskload_ps(row, lane_mask(count));
}

/// The sum of the four doubles.
AVX2_TARGET static inline double add_lanes(__m256d v) {
  __m128d pair = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

/// The sum of squares of the tile in double: the fallback of ctk_tile_squares_avx2 for tiles
/// whose float sum could have overflowed or underflowed.
AVX2_TARGET static double tile_squares_double(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) {
  __m256d sum = _mm256_setzero_pd();
  for (ptrdiff_t r = 0; r < rows; ++r) {
    for (ptrdiff_t j = 0; j < columns; j += 4) {
      __m256d d = _mm256_cvtps_pd(_mm256_castps256_ps128(load_part(c + r * ldc + j, columns - j < 4 ? columns - j : 4)));
      sum = _mm256_fmadd_pd(d, d, sum);
    }
  }
  return add_lanes(sum);
}

/// The tile's sum of squares from its float partials (each lane the squares of one column):
/// in double from there, or summed again in double from C when out of float's safe range.
AVX2_TARGET static double tile_sum(__m256 low, __m256 high, const float *c, ptrdiff_t ldc, ptrdiff_t rows,
                                   ptrdiff_t columns) {
  __m256 both = _mm256_add_ps(low, high);
  double sum = add_lanes(_mm256_add_pd(
      _mm256_cvtps_pd(_mm256_castps256_ps128(both)), _mm256_cvtps_pd(_mm256_extractf128_ps(both, 1))));
  if (sum >= CTK_LOWEST_SAFE_TILE_SUM && sum <= CTK_HIGHEST_SAFE_TILE_SUM) return sum;
  return tile_squares_double(c, ldc, rows, columns);
}

AVX2_TARGET double ctk_tile_squares_avx2(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) {
  __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
  for (ptrdiff_t r = 0; r < rows; ++r) {
    __m256 a = load_part(c + r * ldc, columns);
    __m256 b = columns > 8 ? load_part(c + r * ldc + 8, columns - 8) : _mm256_setzero_ps();
    low = _mm256_fmadd_ps(a, a, low);
    high = _mm256_fmadd_ps(b, b, high);
  }
  return tile_sum(low, high, c, ldc, rows, columns);
}

#else
typedef int ctk_gemm_avx2_unused;
#endif

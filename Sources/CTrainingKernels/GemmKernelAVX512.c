// The AVX-512 single-precision GEMM micro-kernel: a 12 x 32 tile of C held in 24 zmm
// accumulators (12 rows x 2 vectors of 16 floats).
//
// Each step p loads two vectors of the packed B panel (the tile's 32 columns at depth p) and,
// for each of the 12 rows, broadcasts one value of the packed A panel and issues two fused
// multiply-adds: 24 independent FMA chains, enough to cover the FMA latency, with 14 loads per
// 24 FMAs. Compiled for AVX-512F through a function attribute only; callers must have checked
// the CPU (ctk_vector_level() >= 3).
#include "GemmInternal.h"

#if CTK_HAVE_X86_GEMM
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx512f,avx2,fma")))
#define MR 12
#define NR 32

AVX512_TARGET static double tile_squares_double(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns);

/// The tile's sum of squares from its float partials (each lane the squares of one column):
/// in double from there, or summed again in double from C when out of float's safe range.
AVX512_TARGET static double tile_sum(__m512 low, __m512 high, const float *c, ptrdiff_t ldc, ptrdiff_t rows,
                                     ptrdiff_t columns) {
  __m512 both = _mm512_add_ps(low, high);
  double sum = _mm512_reduce_add_pd(_mm512_add_pd(
      _mm512_cvtps_pd(_mm512_castps512_ps256(both)),
      _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(both), 1)))));
  if (sum >= CTK_LOWEST_SAFE_TILE_SUM && sum <= CTK_HIGHEST_SAFE_TILE_SUM) return sum;
  return tile_squares_double(c, ldc, rows, columns);
}

AVX512_TARGET void ctk_kernel_avx512_12x32(
    ptrdiff_t kc, const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add, double *squares) {
  __m512 acc[MR][2];
  for (int r = 0; r < MR; ++r) {
    // Fetch the tile's rows of C for writing now, so that the stores at the end do not wait.
    __builtin_prefetch(c + r * ldc, 1, 3);
    __builtin_prefetch(c + r * ldc + NR - 1, 1, 3);
    acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  }
  for (ptrdiff_t p = 0; p < kc; ++p) {
    __m512 b0 = _mm512_load_ps(pb);
    __m512 b1 = _mm512_load_ps(pb + 16);
    for (int r = 0; r < MR; ++r) {
      __m512 a = _mm512_set1_ps(pa[r]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
    pa += MR;
    pb += NR;
  }
  if (add) {
    CTK_UNROLL_FULLY
    for (int r = 0; r < MR; ++r) {
      acc[r][0] = _mm512_add_ps(_mm512_loadu_ps(c + r * ldc), acc[r][0]);
      acc[r][1] = _mm512_add_ps(_mm512_loadu_ps(c + r * ldc + 16), acc[r][1]);
    }
  }
  CTK_UNROLL_FULLY
  for (int r = 0; r < MR; ++r) {
    _mm512_storeu_ps(c + r * ldc, acc[r][0]);
    _mm512_storeu_ps(c + r * ldc + 16, acc[r][1]);
  }
  if (!squares) return;
  // The squares of the final values, from the registers they were stored from.
  __m512 low = _mm512_setzero_ps(), high = _mm512_setzero_ps();
  CTK_UNROLL_FULLY
  for (int r = 0; r < MR; ++r) {
    low = _mm512_fmadd_ps(acc[r][0], acc[r][0], low);
    high = _mm512_fmadd_ps(acc[r][1], acc[r][1], high);
  }
  *squares = tile_sum(low, high, c, ldc, MR, NR);
}

/// The lanes of a row's first (`low`) and second (`high`) vector that hold C's `columns` columns.
AVX512_TARGET static inline void column_masks(ptrdiff_t columns, __mmask16 *low, __mmask16 *high) {
  *low = columns >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << columns) - 1);
  *high = columns >= 32 ? (__mmask16)0xFFFF : columns <= 16 ? 0 : (__mmask16)((1u << (columns - 16)) - 1);
}

AVX512_TARGET void ctk_edge_store_avx512(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares) {
  __mmask16 low_mask, high_mask;
  column_masks(columns, &low_mask, &high_mask);
  __m512 low = _mm512_setzero_ps(), high = _mm512_setzero_ps();
  for (ptrdiff_t r = 0; r < rows; ++r) {
    float *row = c + r * ldc;
    // Lanes past the columns are dropped: an infinity times B's zero padding is NaN there, which
    // would send the tile to the slower sum in double.
    __m512 first = _mm512_maskz_mov_ps(low_mask, _mm512_load_ps(tile + r * NR));
    __m512 second = _mm512_maskz_mov_ps(high_mask, _mm512_load_ps(tile + r * NR + 16));
    if (add) {
      first = _mm512_add_ps(_mm512_maskz_loadu_ps(low_mask, row), first);
      second = _mm512_add_ps(_mm512_maskz_loadu_ps(high_mask, row + 16), second);
    }
    _mm512_mask_storeu_ps(row, low_mask, first);
    _mm512_mask_storeu_ps(row + 16, high_mask, second);
    low = _mm512_fmadd_ps(first, first, low);
    high = _mm512_fmadd_ps(second, second, high);
  }
  if (squares) *squares = tile_sum(low, high, c, ldc, rows, columns);
}

/// The sum of squares of the tile with each square and the sum in double: for tiles whose
/// float sum was out of float's safe range.
AVX512_TARGET static double tile_squares_double(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) {
  __m512d sum = _mm512_setzero_pd();
  for (ptrdiff_t r = 0; r < rows; ++r) {
    for (ptrdiff_t j = 0; j < columns; j += 8) {
      ptrdiff_t count = columns - j < 8 ? columns - j : 8;
      __m256 v = _mm512_castps512_ps256(_mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1), c + r * ldc + j));
      __m512d d = _mm512_cvtps_pd(v);
      sum = _mm512_fmadd_pd(d, d, sum);
    }
  }
  return _mm512_reduce_add_pd(sum);
}

AVX512_TARGET double ctk_tile_squares_avx512(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) {
  __m512 low = _mm512_setzero_ps(), high = _mm512_setzero_ps();
  __mmask16 low_mask, high_mask;
  column_masks(columns, &low_mask, &high_mask);
  for (ptrdiff_t r = 0; r < rows; ++r) {
    __m512 a = _mm512_maskz_loadu_ps(low_mask, c + r * ldc);
    __m512 b = _mm512_maskz_loadu_ps(high_mask, c + r * ldc + 16);
    low = _mm512_fmadd_ps(a, a, low);
    high = _mm512_fmadd_ps(b, b, high);
  }
  return tile_sum(low, high, c, ldc, rows, columns);
}

#else
typedef int ctk_gemm_avx512_unused;
#endif

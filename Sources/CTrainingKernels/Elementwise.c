// In-place element-wise kernels for clipping: rescaling (x *= factor) and clamping into
// [-limit, limit], in float and double, at the vector widths of AVX2 and AVX-512.
//
// Both operations are exact per element (one rounding of one product, or a choice between the
// element and a bound), so every level gives the same bits as the portable Swift loops of the
// core (`ElementwiseKernels`): the only gain is width. A package builds Swift for baseline
// x86-64, whose 16-byte stores cap a cache-resident read-write pass at one register a cycle;
// these store 32 or 64 bytes at a time. Compiled through function attributes only; each entry
// point checks the CPU before using them.
#include "CTrainingKernels.h"
#include "GemmInternal.h"

#if CTK_HAVE_X86_GEMM
#include <immintrin.h>
#include <stdint.h>

#define AVX512_TARGET __attribute__((target("avx512f")))
#define AVX2_TARGET __attribute__((target("avx2")))

// Clamping is min(limit, x) then max(-limit, y): MINPS and MAXPS return their second operand
// when either is NaN, so a NaN stays NaN, and `limit < x ? limit : x` is exactly what they
// compute, as the Swift kernels' selects do.

/// Elements before the first 64-byte boundary at or after `x` (at most `n`): stores that cross
/// a cache line cost two, so the kernels reach a boundary first (a buffer inside a Swift array
/// is often 32 bytes past one).
static ptrdiff_t head_length(const void *x, size_t element_size, ptrdiff_t n) {
  ptrdiff_t misalignment = (ptrdiff_t)((uintptr_t)x % 64);
  ptrdiff_t head = misalignment == 0 ? 0 : (64 - misalignment) / (ptrdiff_t)element_size;
  return head < n ? head : n;
}

AVX512_TARGET static void scale_f32_avx512(float *x, ptrdiff_t n, float factor) {
  const __m512 f = _mm512_set1_ps(factor);
  ptrdiff_t i = head_length(x, sizeof(float), n);
  if (i > 0) {
    __mmask16 m = (__mmask16)((1u << i) - 1);
    _mm512_mask_storeu_ps(x, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x), f));
  }
  for (; i + 64 <= n; i += 64) {
    __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
    __m512 c = _mm512_loadu_ps(x + i + 32), d = _mm512_loadu_ps(x + i + 48);
    _mm512_storeu_ps(x + i, _mm512_mul_ps(a, f));
    _mm512_storeu_ps(x + i + 16, _mm512_mul_ps(b, f));
    _mm512_storeu_ps(x + i + 32, _mm512_mul_ps(c, f));
    _mm512_storeu_ps(x + i + 48, _mm512_mul_ps(d, f));
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(x + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), f));
  }
}

AVX512_TARGET static void scale_f64_avx512(double *x, ptrdiff_t n, double factor) {
  const __m512d f = _mm512_set1_pd(factor);
  ptrdiff_t i = head_length(x, sizeof(double), n);
  if (i > 0) {
    __mmask8 m = (__mmask8)((1u << i) - 1);
    _mm512_mask_storeu_pd(x, m, _mm512_mul_pd(_mm512_maskz_loadu_pd(m, x), f));
  }
  for (; i + 32 <= n; i += 32) {
    __m512d a = _mm512_loadu_pd(x + i), b = _mm512_loadu_pd(x + i + 8);
    __m512d c = _mm512_loadu_pd(x + i + 16), d = _mm512_loadu_pd(x + i + 24);
    _mm512_storeu_pd(x + i, _mm512_mul_pd(a, f));
    _mm512_storeu_pd(x + i + 8, _mm512_mul_pd(b, f));
    _mm512_storeu_pd(x + i + 16, _mm512_mul_pd(c, f));
    _mm512_storeu_pd(x + i + 24, _mm512_mul_pd(d, f));
  }
  for (; i < n; i += 8) {
    __mmask8 m = n - i >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (n - i)) - 1);
    _mm512_mask_storeu_pd(x + i, m, _mm512_mul_pd(_mm512_maskz_loadu_pd(m, x + i), f));
  }
}

AVX512_TARGET static void clamp_f32_avx512(float *x, ptrdiff_t n, float limit) {
  const __m512 upper = _mm512_set1_ps(limit), lower = _mm512_set1_ps(-limit);
  ptrdiff_t i = head_length(x, sizeof(float), n);
  if (i > 0) {
    __mmask16 m = (__mmask16)((1u << i) - 1);
    _mm512_mask_storeu_ps(x, m, _mm512_max_ps(lower, _mm512_min_ps(upper, _mm512_maskz_loadu_ps(m, x))));
  }
  for (; i + 32 <= n; i += 32) {
    __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
    _mm512_storeu_ps(x + i, _mm512_max_ps(lower, _mm512_min_ps(upper, a)));
    _mm512_storeu_ps(x + i + 16, _mm512_max_ps(lower, _mm512_min_ps(upper, b)));
  }
  for (; i < n; i += 16) {
    __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
    __m512 a = _mm512_maskz_loadu_ps(m, x + i);
    _mm512_mask_storeu_ps(x + i, m, _mm512_max_ps(lower, _mm512_min_ps(upper, a)));
  }
}

AVX512_TARGET static void clamp_f64_avx512(double *x, ptrdiff_t n, double limit) {
  const __m512d upper = _mm512_set1_pd(limit), lower = _mm512_set1_pd(-limit);
  ptrdiff_t i = head_length(x, sizeof(double), n);
  if (i > 0) {
    __mmask8 m = (__mmask8)((1u << i) - 1);
    _mm512_mask_storeu_pd(x, m, _mm512_max_pd(lower, _mm512_min_pd(upper, _mm512_maskz_loadu_pd(m, x))));
  }
  for (; i + 16 <= n; i += 16) {
    __m512d a = _mm512_loadu_pd(x + i), b = _mm512_loadu_pd(x + i + 8);
    _mm512_storeu_pd(x + i, _mm512_max_pd(lower, _mm512_min_pd(upper, a)));
    _mm512_storeu_pd(x + i + 8, _mm512_max_pd(lower, _mm512_min_pd(upper, b)));
  }
  for (; i < n; i += 8) {
    __mmask8 m = n - i >= 8 ? (__mmask8)0xFF : (__mmask8)((1u << (n - i)) - 1);
    __m512d a = _mm512_maskz_loadu_pd(m, x + i);
    _mm512_mask_storeu_pd(x + i, m, _mm512_max_pd(lower, _mm512_min_pd(upper, a)));
  }
}

AVX2_TARGET static void scale_f32_avx2(float *x, ptrdiff_t n, float factor) {
  const __m256 f = _mm256_set1_ps(factor);
  ptrdiff_t i = 0;
  for (ptrdiff_t head = head_length(x, sizeof(float), n); i < head; i++) x[i] *= factor;
  for (; i + 32 <= n; i += 32) {
    __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
    __m256 c = _mm256_loadu_ps(x + i + 16), d = _mm256_loadu_ps(x + i + 24);
    _mm256_storeu_ps(x + i, _mm256_mul_ps(a, f));
    _mm256_storeu_ps(x + i + 8, _mm256_mul_ps(b, f));
    _mm256_storeu_ps(x + i + 16, _mm256_mul_ps(c, f));
    _mm256_storeu_ps(x + i + 24, _mm256_mul_ps(d, f));
  }
  for (; i < n; i++) x[i] *= factor;
}

AVX2_TARGET static void scale_f64_avx2(double *x, ptrdiff_t n, double factor) {
  const __m256d f = _mm256_set1_pd(factor);
  ptrdiff_t i = 0;
  for (ptrdiff_t head = head_length(x, sizeof(double), n); i < head; i++) x[i] *= factor;
  for (; i + 16 <= n; i += 16) {
    __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
    __m256d c = _mm256_loadu_pd(x + i + 8), d = _mm256_loadu_pd(x + i + 12);
    _mm256_storeu_pd(x + i, _mm256_mul_pd(a, f));
    _mm256_storeu_pd(x + i + 4, _mm256_mul_pd(b, f));
    _mm256_storeu_pd(x + i + 8, _mm256_mul_pd(c, f));
    _mm256_storeu_pd(x + i + 12, _mm256_mul_pd(d, f));
  }
  for (; i < n; i++) x[i] *= factor;
}

/// The scalar form of the vector clamp, for the tails: NaN stays NaN.
static inline float clamp_one_f32(float value, float limit) {
  float below_upper = limit < value ? limit : value;
  return -limit > below_upper ? -limit : below_upper;
}

static inline double clamp_one_f64(double value, double limit) {
  double below_upper = limit < value ? limit : value;
  return -limit > below_upper ? -limit : below_upper;
}

AVX2_TARGET static void clamp_f32_avx2(float *x, ptrdiff_t n, float limit) {
  const __m256 upper = _mm256_set1_ps(limit), lower = _mm256_set1_ps(-limit);
  ptrdiff_t i = 0;
  for (ptrdiff_t head = head_length(x, sizeof(float), n); i < head; i++) x[i] = clamp_one_f32(x[i], limit);
  for (; i + 16 <= n; i += 16) {
    __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
    _mm256_storeu_ps(x + i, _mm256_max_ps(lower, _mm256_min_ps(upper, a)));
    _mm256_storeu_ps(x + i + 8, _mm256_max_ps(lower, _mm256_min_ps(upper, b)));
  }
  for (; i < n; i++) x[i] = clamp_one_f32(x[i], limit);
}

AVX2_TARGET static void clamp_f64_avx2(double *x, ptrdiff_t n, double limit) {
  const __m256d upper = _mm256_set1_pd(limit), lower = _mm256_set1_pd(-limit);
  ptrdiff_t i = 0;
  for (ptrdiff_t head = head_length(x, sizeof(double), n); i < head; i++) x[i] = clamp_one_f64(x[i], limit);
  for (; i + 8 <= n; i += 8) {
    __m256d a = _mm256_loadu_pd(x + i), b = _mm256_loadu_pd(x + i + 4);
    _mm256_storeu_pd(x + i, _mm256_max_pd(lower, _mm256_min_pd(upper, a)));
    _mm256_storeu_pd(x + i + 4, _mm256_max_pd(lower, _mm256_min_pd(upper, b)));
  }
  for (; i < n; i++) x[i] = clamp_one_f64(x[i], limit);
}

// MARK: - Sums of squares, block by block, as the core sums them

// The core's portable kernel (`NormKernels.blockSumOfSquares`) sums a block in 16-lane float
// vectors (8-lane for double): two accumulators over sub-blocks, each sub-block's pair added
// into the block's vector, the lanes folded in halves, then the last partial vectors, zero-
// padded, folded the same way and added one by one. The kernels below do exactly those
// operations in that order (a 16-lane vector is one zmm, or two ymm), so their sums are the
// same bits; they only load more at a time. No multiply-add is contracted (the pragma).
#pragma STDC FP_CONTRACT OFF

static float fold16(const float v[16]) {
  float eight[8], four[4];
  for (int i = 0; i < 8; i++) eight[i] = v[i] + v[i + 8];
  for (int i = 0; i < 4; i++) four[i] = eight[i] + eight[i + 4];
  return (four[0] + four[2]) + (four[1] + four[3]);
}

static double fold8(const double v[8]) {
  double four[4];
  for (int i = 0; i < 4; i++) four[i] = v[i] + v[i + 4];
  return (four[0] + four[2]) + (four[1] + four[3]);
}

/// The zero-padded last vectors of a block, from `index`: each squared and folded, added in turn.
static float tail_f32(const float *x, ptrdiff_t index, ptrdiff_t count, float sum) {
  while (index < count) {
    float lanes[16] = {0};
    ptrdiff_t length = count - index < 16 ? count - index : 16;
    for (ptrdiff_t i = 0; i < length; i++) lanes[i] = x[index + i] * x[index + i];
    sum += fold16(lanes);
    index += length;
  }
  return sum;
}

static double tail_f64(const double *x, ptrdiff_t index, ptrdiff_t count, double sum) {
  while (index < count) {
    double lanes[8] = {0};
    ptrdiff_t length = count - index < 8 ? count - index : 8;
    for (ptrdiff_t i = 0; i < length; i++) lanes[i] = x[index + i] * x[index + i];
    sum += fold8(lanes);
    index += length;
  }
  return sum;
}

AVX512_TARGET static float block_f32_avx512(const float *x, ptrdiff_t count, ptrdiff_t sub_block) {
  __m512 block = _mm512_setzero_ps();
  ptrdiff_t index = 0;
  while (index + 32 <= count) {
    __m512 first = _mm512_setzero_ps(), second = _mm512_setzero_ps();
    ptrdiff_t end = count < index + sub_block ? count : index + sub_block;
    while (index + 32 <= end) {
      __m512 a = _mm512_loadu_ps(x + index), b = _mm512_loadu_ps(x + index + 16);
      first = _mm512_add_ps(first, _mm512_mul_ps(a, a));
      second = _mm512_add_ps(second, _mm512_mul_ps(b, b));
      index += 32;
    }
    block = _mm512_add_ps(block, _mm512_add_ps(first, second));
  }
  float lanes[16];
  _mm512_storeu_ps(lanes, block);
  return tail_f32(x, index, count, fold16(lanes));
}

AVX512_TARGET static double block_f64_avx512(const double *x, ptrdiff_t count, ptrdiff_t sub_block) {
  __m512d block = _mm512_setzero_pd();
  ptrdiff_t index = 0;
  while (index + 16 <= count) {
    __m512d first = _mm512_setzero_pd(), second = _mm512_setzero_pd();
    ptrdiff_t end = count < index + sub_block ? count : index + sub_block;
    while (index + 16 <= end) {
      __m512d a = _mm512_loadu_pd(x + index), b = _mm512_loadu_pd(x + index + 8);
      first = _mm512_add_pd(first, _mm512_mul_pd(a, a));
      second = _mm512_add_pd(second, _mm512_mul_pd(b, b));
      index += 16;
    }
    block = _mm512_add_pd(block, _mm512_add_pd(first, second));
  }
  double lanes[8];
  _mm512_storeu_pd(lanes, block);
  return tail_f64(x, index, count, fold8(lanes));
}

AVX2_TARGET static float block_f32_avx2(const float *x, ptrdiff_t count, ptrdiff_t sub_block) {
  __m256 block_low = _mm256_setzero_ps(), block_high = _mm256_setzero_ps();
  ptrdiff_t index = 0;
  while (index + 32 <= count) {
    __m256 first_low = _mm256_setzero_ps(), first_high = _mm256_setzero_ps();
    __m256 second_low = _mm256_setzero_ps(), second_high = _mm256_setzero_ps();
    ptrdiff_t end = count < index + sub_block ? count : index + sub_block;
    while (index + 32 <= end) {
      __m256 a = _mm256_loadu_ps(x + index), b = _mm256_loadu_ps(x + index + 8);
      __m256 c = _mm256_loadu_ps(x + index + 16), d = _mm256_loadu_ps(x + index + 24);
      first_low = _mm256_add_ps(first_low, _mm256_mul_ps(a, a));
      first_high = _mm256_add_ps(first_high, _mm256_mul_ps(b, b));
      second_low = _mm256_add_ps(second_low, _mm256_mul_ps(c, c));
      second_high = _mm256_add_ps(second_high, _mm256_mul_ps(d, d));
      index += 32;
    }
    block_low = _mm256_add_ps(block_low, _mm256_add_ps(first_low, second_low));
    block_high = _mm256_add_ps(block_high, _mm256_add_ps(first_high, second_high));
  }
  float lanes[16];
  _mm256_storeu_ps(lanes, block_low);
  _mm256_storeu_ps(lanes + 8, block_high);
  return tail_f32(x, index, count, fold16(lanes));
}

AVX2_TARGET static double block_f64_avx2(const double *x, ptrdiff_t count, ptrdiff_t sub_block) {
  __m256d block_low = _mm256_setzero_pd(), block_high = _mm256_setzero_pd();
  ptrdiff_t index = 0;
  while (index + 16 <= count) {
    __m256d first_low = _mm256_setzero_pd(), first_high = _mm256_setzero_pd();
    __m256d second_low = _mm256_setzero_pd(), second_high = _mm256_setzero_pd();
    ptrdiff_t end = count < index + sub_block ? count : index + sub_block;
    while (index + 16 <= end) {
      __m256d a = _mm256_loadu_pd(x + index), b = _mm256_loadu_pd(x + index + 4);
      __m256d c = _mm256_loadu_pd(x + index + 8), d = _mm256_loadu_pd(x + index + 12);
      first_low = _mm256_add_pd(first_low, _mm256_mul_pd(a, a));
      first_high = _mm256_add_pd(first_high, _mm256_mul_pd(b, b));
      second_low = _mm256_add_pd(second_low, _mm256_mul_pd(c, c));
      second_high = _mm256_add_pd(second_high, _mm256_mul_pd(d, d));
      index += 16;
    }
    block_low = _mm256_add_pd(block_low, _mm256_add_pd(first_low, second_low));
    block_high = _mm256_add_pd(block_high, _mm256_add_pd(first_high, second_high));
  }
  double lanes[8];
  _mm256_storeu_pd(lanes, block_low);
  _mm256_storeu_pd(lanes + 4, block_high);
  return tail_f64(x, index, count, fold8(lanes));
}

/// The level to run at: `level` lowered to what the CPU has; 0 when neither AVX2 nor AVX-512.
static int usable_level(int level) {
  int detected = ctk_vector_level();
  return level < detected ? level : detected;
}

bool ctk_scale_f32(float *x, ptrdiff_t n, float factor, int level) {
  switch (usable_level(level)) {
  case 3: scale_f32_avx512(x, n, factor); return true;
  case 2: scale_f32_avx2(x, n, factor); return true;
  default: return false;
  }
}

bool ctk_scale_f64(double *x, ptrdiff_t n, double factor, int level) {
  switch (usable_level(level)) {
  case 3: scale_f64_avx512(x, n, factor); return true;
  case 2: scale_f64_avx2(x, n, factor); return true;
  default: return false;
  }
}

bool ctk_clamp_f32(float *x, ptrdiff_t n, float limit, int level) {
  switch (usable_level(level)) {
  case 3: clamp_f32_avx512(x, n, limit); return true;
  case 2: clamp_f32_avx2(x, n, limit); return true;
  default: return false;
  }
}

bool ctk_clamp_f64(double *x, ptrdiff_t n, double limit, int level) {
  switch (usable_level(level)) {
  case 3: clamp_f64_avx512(x, n, limit); return true;
  case 2: clamp_f64_avx2(x, n, limit); return true;
  default: return false;
  }
}


bool ctk_block_squares_f32(const float *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           float *sums, int level) {
  int usable = usable_level(level);
  if (usable < 2 || block_length <= 0 || sub_block_length <= 0) return false;
  for (ptrdiff_t start = 0, block = 0; start < n; start += block_length, block++) {
    ptrdiff_t count = n - start < block_length ? n - start : block_length;
    sums[block] = usable >= 3 ? block_f32_avx512(x + start, count, sub_block_length)
                              : block_f32_avx2(x + start, count, sub_block_length);
  }
  return true;
}

bool ctk_block_squares_f64(const double *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           double *sums, int level) {
  int usable = usable_level(level);
  if (usable < 2 || block_length <= 0 || sub_block_length <= 0) return false;
  for (ptrdiff_t start = 0, block = 0; start < n; start += block_length, block++) {
    ptrdiff_t count = n - start < block_length ? n - start : block_length;
    sums[block] = usable >= 3 ? block_f64_avx512(x + start, count, sub_block_length)
                              : block_f64_avx2(x + start, count, sub_block_length);
  }
  return true;
}

#else

bool ctk_scale_f32(float *x, ptrdiff_t n, float factor, int level) {
  (void)x, (void)n, (void)factor, (void)level;
  return false;
}

bool ctk_scale_f64(double *x, ptrdiff_t n, double factor, int level) {
  (void)x, (void)n, (void)factor, (void)level;
  return false;
}

bool ctk_clamp_f32(float *x, ptrdiff_t n, float limit, int level) {
  (void)x, (void)n, (void)limit, (void)level;
  return false;
}

bool ctk_clamp_f64(double *x, ptrdiff_t n, double limit, int level) {
  (void)x, (void)n, (void)limit, (void)level;
  return false;
}

bool ctk_block_squares_f32(const float *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           float *sums, int level) {
  (void)x, (void)n, (void)block_length, (void)sub_block_length, (void)sums, (void)level;
  return false;
}

bool ctk_block_squares_f64(const double *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           double *sums, int level) {
  (void)x, (void)n, (void)block_length, (void)sub_block_length, (void)sums, (void)level;
  return false;
}

#endif

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

#endif

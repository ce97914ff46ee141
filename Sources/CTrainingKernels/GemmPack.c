// Packing of A and B blocks into the contiguous micro-panels the GEMM micro-kernels read.
//
// A micro-kernel step p reads MR consecutive values of a packed A panel (one column of the
// tile's rows) and NR consecutive values of a packed B panel (one row of the tile's columns),
// so both panels are streamed strictly sequentially, whatever the strides and transposes of the
// original matrices. Partial panels (at the bottom and right edges) are padded with zeros:
// the kernel then always computes full tiles, and the padding adds exact zeros to lanes whose
// results are thrown away.
#include "GemmInternal.h"

#if CTK_HAVE_X86_GEMM
#include <immintrin.h>
#include <string.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

// MARK: - Panels (inlined with constant widths by the dispatchers below)

/// Transposes `count` rows of `kc` contiguous values (row i starts at `source + i * ld`) into a
/// panel of `width` lanes: lane i of step p gets `source[i * ld + p]`; lanes from `count` to
/// `width` are left as they are (see `zero_edge_panel`). Full groups of 4 rows x 4 steps go through SSE registers (4 loads, a
/// 4 x 4 transpose in shuffles, 4 stores: baseline x86-64, no attribute needed); the rest one
/// value at a time.
ALWAYS_INLINE void transpose_into_panel(ptrdiff_t count, ptrdiff_t kc,
                                        const float *restrict source, ptrdiff_t ld,
                                        ptrdiff_t width, float *restrict panel) {
  ptrdiff_t i = 0;
  for (; i + 4 <= count; i += 4) {
    const float *s = source + i * ld;
    ptrdiff_t p = 0;
    for (; p + 4 <= kc; p += 4) {
      __m128 r0 = _mm_loadu_ps(s + p), r1 = _mm_loadu_ps(s + ld + p);
      __m128 r2 = _mm_loadu_ps(s + 2 * ld + p), r3 = _mm_loadu_ps(s + 3 * ld + p);
      _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
      float *d = panel + p * width + i;
      _mm_storeu_ps(d, r0);
      _mm_storeu_ps(d + width, r1);
      _mm_storeu_ps(d + 2 * width, r2);
      _mm_storeu_ps(d + 3 * width, r3);
    }
    for (; p < kc; ++p) {
      for (ptrdiff_t j = 0; j < 4; ++j) panel[p * width + i + j] = s[j * ld + p];
    }
  }
  for (; i < count; ++i) {
    for (ptrdiff_t p = 0; p < kc; ++p) panel[p * width + i] = source[i * ld + p];
  }
}

/// One panel of op(A) = A (row-major m x k): each row of the panel is contiguous in A, so the
/// panel is a transpose.
ALWAYS_INLINE void pack_a_panel_rows(ptrdiff_t rows, ptrdiff_t kc, const float *restrict a,
                                     ptrdiff_t lda, ptrdiff_t mr, float *restrict panel) {
  transpose_into_panel(rows, kc, a, lda, mr, panel);
}

/// One panel of op(A) = transpose of A (A stored k x m): step p of the panel is contiguous in A.
ALWAYS_INLINE void pack_a_panel_columns(ptrdiff_t rows, ptrdiff_t kc, const float *restrict a,
                                        ptrdiff_t lda, ptrdiff_t mr, float *restrict panel) {
  for (ptrdiff_t p = 0; p < kc; ++p) {
    float *destination = panel + p * mr;
    const float *source = a + p * lda;
    for (ptrdiff_t r = 0; r < rows; ++r) destination[r] = source[r];
  }
}

/// One panel of op(B) = B (row-major k x n): step p of the panel is contiguous in B.
ALWAYS_INLINE void pack_b_panel_rows(ptrdiff_t columns, ptrdiff_t kc, const float *restrict b,
                                     ptrdiff_t ldb, ptrdiff_t nr, float *restrict panel) {
  for (ptrdiff_t p = 0; p < kc; ++p) {
    float *destination = panel + p * nr;
    const float *source = b + p * ldb;
    for (ptrdiff_t col = 0; col < columns; ++col) destination[col] = source[col];
  }
}

/// One panel of op(B) = transpose of B (B stored n x k): each column of the panel is
/// contiguous in B, so the panel is a transpose.
ALWAYS_INLINE void pack_b_panel_columns(ptrdiff_t columns, ptrdiff_t kc, const float *restrict b,
                                        ptrdiff_t ldb, ptrdiff_t nr, float *restrict panel) {
  transpose_into_panel(columns, kc, b, ldb, nr, panel);
}

// MARK: - Dispatch on the panel width

/// Zeroes a `kc x width` panel that will hold only `count < width` lanes, in one call: the
/// panels leave their padding lanes alone (zeroing them lane by lane at each step cost a
/// `memset` call per step, 8% of a 256 x 256 x 128 product with an edge panel).
static void zero_edge_panel(ptrdiff_t count, ptrdiff_t kc, ptrdiff_t width, float *panel) {
  if (count < width) memset(panel, 0, (size_t)(kc * width) * sizeof(float));
}

/// Calls `function(count, ..., width, panel)` with `count` and `width` as compile-time constants
/// for a full panel of one of the kernels' widths (so that the compiler unrolls the copies
/// into vector moves), and as run-time values for an edge panel.
#define WITH_CONSTANT_WIDTH(function, count, width, ...)                                   \
  do {                                                                                    \
    if ((count) == (width) && (width) == 32) function(32, __VA_ARGS__, 32, panel);        \
    else if ((count) == (width) && (width) == 16) function(16, __VA_ARGS__, 16, panel);   \
    else if ((count) == (width) && (width) == 12) function(12, __VA_ARGS__, 12, panel);   \
    else if ((count) == (width) && (width) == 6) function(6, __VA_ARGS__, 6, panel);      \
    else function(count, __VA_ARGS__, width, panel);                                      \
  } while (0)

void ctk_pack_a(bool trans, ptrdiff_t mc, ptrdiff_t kc, const float *a, ptrdiff_t lda,
                ptrdiff_t mr, float *packed) {
  for (ptrdiff_t i = 0; i < mc; i += mr) {
    ptrdiff_t rows = mc - i < mr ? mc - i : mr;
    float *panel = packed + i * kc;
    zero_edge_panel(rows, kc, mr, panel);
    if (trans) {
      WITH_CONSTANT_WIDTH(pack_a_panel_columns, rows, mr, kc, a + i, lda);
    } else {
      WITH_CONSTANT_WIDTH(pack_a_panel_rows, rows, mr, kc, a + i * lda, lda);
    }
  }
}

void ctk_pack_b(bool trans, ptrdiff_t kc, ptrdiff_t nc, const float *b, ptrdiff_t ldb,
                ptrdiff_t nr, float *packed) {
  for (ptrdiff_t j = 0; j < nc; j += nr) {
    ptrdiff_t columns = nc - j < nr ? nc - j : nr;
    float *panel = packed + j * kc;
    zero_edge_panel(columns, kc, nr, panel);
    if (trans) {
      WITH_CONSTANT_WIDTH(pack_b_panel_columns, columns, nr, kc, b + j * ldb, ldb);
    } else {
      WITH_CONSTANT_WIDTH(pack_b_panel_rows, columns, nr, kc, b + j, ldb);
    }
  }
}

#else
typedef int ctk_gemm_pack_unused;
#endif

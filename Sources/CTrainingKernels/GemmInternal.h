// Private declarations shared by the GEMM files of CTrainingKernels (not part of the module's
// public header).
#ifndef CTK_GEMM_INTERNAL_H
#define CTK_GEMM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CTK_HAVE_X86_GEMM 1
#else
#define CTK_HAVE_X86_GEMM 0
#endif

/// Unrolls the loop that follows completely (its trip count is a constant): a micro-kernel's
/// epilogue loops over its accumulators, which then stay in registers instead of being written
/// to the stack and read back (about 50 extra loads and stores per tile, measured).
#if defined(__clang__)
#define CTK_UNROLL_FULLY _Pragma("clang loop unroll(full)")
#elif defined(__GNUC__)
#define CTK_UNROLL_FULLY _Pragma("GCC unroll 32")
#else
#define CTK_UNROLL_FULLY
#endif

/// Float tile sums of squares in this range lost nothing to overflow or underflow: below 2^-100,
/// squares under 2^-126 may have been flushed to subnormals; above 2^127, the sum is near the
/// top of float's range.
#define CTK_LOWEST_SAFE_TILE_SUM 0x1p-100
#define CTK_HIGHEST_SAFE_TILE_SUM 0x1p127

/// Depth of a packed block (the `k` extent of one pass over C). Shared by every level, so that
/// all levels sum in the same order and give the same bits.
#define CTK_KC 256

/// A micro-kernel: `C[0..MR, 0..NR] (+)= Apanel * Bpanel` over `kc` steps, where `pa` holds,
/// for each step p, the MR values of a column of A contiguously, and `pb` the NR values of a
/// row of B (64-byte aligned). With `add`, the product is added to C; otherwise it replaces C.
/// Each element's products are chained in the order of p with fused multiply-adds, starting
/// from zero; the chain's sum is then added to (or stored in) C.
/// With `squares` not NULL, the tile's sum of squares after the write (as ctk_tile_measure
/// gives it) is stored there, computed from the registers the tile is stored from.
typedef void (*ctk_micro_kernel)(
    ptrdiff_t kc, const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add, double *squares);

/// The sum of the squares of the `rows x columns` block of C at `c` (rows <= MR, columns <= NR
/// of the level), in an order fixed by the block's shape: in float, each lane summing one
/// column's squares (at most MR terms, a relative error below MR * 2^-24), unless that sum is
/// outside [CTK_LOWEST_SAFE_TILE_SUM, CTK_HIGHEST_SAFE_TILE_SUM] (an overflow, squares lost to
/// underflow, a NaN or an infinity, or a tile of zeros), in which case the tile is summed again
/// with each square and the sum in double.
typedef double (*ctk_tile_measure)(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns);

/// Stores (or, with `add`, adds) the `rows x columns` part of an edge tile computed in full into
/// `tile` (MR x NR, row stride NR, 64-byte aligned) into C, with the arithmetic of a full tile;
/// with `squares` not NULL, stores there the part's sum of squares after the write, as
/// ctk_tile_measure gives it, computed from the registers the part is stored from.
typedef void (*ctk_edge_store)(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares);

/// The blocking of one vector level: tile (MR x NR), and the cache blocks MC (rows of A
/// packed at a time) and NC (columns of B packed at a time); its micro-kernel, its edge-tile
/// store and its tile measure.
typedef struct {
  ptrdiff_t mr, nr, mc, nc;
  ctk_micro_kernel kernel;
  ctk_edge_store edge_store;
  ctk_tile_measure measure;
} ctk_gemm_config;

/// The configuration of `level` (2 or 3), or NULL for any other level.
const ctk_gemm_config *ctk_gemm_config_for_level(int level);

/// Packs the `mc x kc` block of op(A) starting at `a` (already offset to the block's first
/// element of op(A)) into micro-panels of `mr` rows: panel i holds, for each p, op(A)[i*mr + r, p]
/// for r in 0..<mr, rows past mc padded with zeros.
void ctk_pack_a(bool trans, ptrdiff_t mc, ptrdiff_t kc, const float *a, ptrdiff_t lda,
                ptrdiff_t mr, float *packed);

/// Packs the `kc x nc` block of op(B) starting at `b` into micro-panels of `nr` columns: panel j
/// holds, for each p, op(B)[p, j*nr + col] for col in 0..<nr, columns past nc padded with zeros.
void ctk_pack_b(bool trans, ptrdiff_t kc, ptrdiff_t nc, const float *b, ptrdiff_t ldb,
                ptrdiff_t nr, float *packed);

#if CTK_HAVE_X86_GEMM
/// The AVX2 + FMA micro-kernel, 6 x 16.
void ctk_kernel_avx2_6x16(
    ptrdiff_t kc, const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add, double *squares);
/// The AVX-512 micro-kernel, 12 x 32.
void ctk_kernel_avx512_12x32(
    ptrdiff_t kc, const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add, double *squares);
/// The AVX2 edge-tile store (6 x 16 tiles).
void ctk_edge_store_avx2(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares);
/// The AVX-512 edge-tile store (12 x 32 tiles).
void ctk_edge_store_avx512(
    const float *tile, float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares);
/// The AVX2 tile measure (a tile of at most 6 x 16).
double ctk_tile_squares_avx2(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns);
/// The AVX-512 tile measure (a tile of at most 12 x 32).
double ctk_tile_squares_avx512(const float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns);
#endif

#endif

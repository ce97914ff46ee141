#ifndef C_TRAINING_KERNELS_H
#define C_TRAINING_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/// The widest vector instruction set this CPU supports, as detected at run time:
/// 0 = portable (no C fast path), 2 = AVX2 with FMA, 3 = AVX-512F.
int ctk_vector_level(void);

/// Single-precision general matrix multiply on row-major matrices:
/// `C = op(A) * op(B)`, or `C += op(A) * op(B)` when `accumulate` is true, where `op(A)` is
/// `A` (stored `m x k`, row stride `lda >= k`) or, with `trans_a`, the transpose of `A` (stored
/// `k x m`, `lda >= m`); likewise `op(B)` is `k x n`; `C` is `m x n` with row stride `ldc >= n`.
///
/// `level` is the vector level to use (as `ctk_vector_level()`); a level above what the CPU
/// supports is lowered to it. Returns true if the product was computed, false if no fast path
/// exists here (level 0, or not x86-64): the caller must then compute it itself; nothing was
/// written.
///
/// Every element of C is summed in the same order whatever the level and whatever the caller's
/// split of C into blocks: the products over `k` are chained in order, in blocks of
/// `ctk_sgemm_depth_block()`, with fused multiply-adds, each block's sum added to C in turn. So
/// computing a sub-block of C (offsetting the pointers and shrinking m or n) gives the same bits
/// as computing the whole, and callers may split C across threads freely.
///
/// With k == 0, C is zeroed (or left as it is when accumulating). Packing buffers are
/// allocated once per thread and reused; the function is safe to call from several threads at
/// once on disjoint blocks of C.
bool ctk_sgemm(
    int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
    const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
    float *c, ptrdiff_t ldc, bool accumulate);

/// As `ctk_sgemm`, and measures C on the way: each tile of C (`ctk_sgemm_tile_rows(level)` x
/// `ctk_sgemm_tile_columns(level)`, cut short at the bottom and right edges) has the sum of the
/// squares of its final values (in float, each lane summing at most a tile's rows; a tile whose
/// float sum may have overflowed or underflowed is summed again in double), written to
/// `tile_sums[(i / tile_rows) * tile_row_stride + (j / tile_columns) * tile_column_stride]`, where
/// C[i, j] is the tile's first element. Threads computing blocks of C write slots of their own
/// tiles (packed slots share cache lines only where the blocks meet). A full tile is measured
/// from the registers it is stored from (a fused multiply-add per vector of C and a reduction per
/// tile: about 0.7 us, under 1%, of a 256 x 256 x 128 product on two threads here), an edge tile
/// from C right after its write; a separate pass over C would read it all again. A NaN or an infinity in a tile
/// makes its sum NaN or infinite.
///
/// The order of the sum within a tile depends only on the tile's shape, so the measures do not
/// depend on how the caller splits C; summing the slots in a fixed order then gives the same
/// bits on any number of threads. With a NULL `tile_sums` this is `ctk_sgemm`. Returns false,
/// having written nothing, where `ctk_sgemm` would.
bool ctk_sgemm_measured(
    int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
    const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
    float *c, ptrdiff_t ldc, bool accumulate, double *tile_sums, ptrdiff_t tile_row_stride,
    ptrdiff_t tile_column_stride);

/// The rows of C one micro-kernel call computes at `level` (0 if there is no fast path).
/// Splitting C between threads at multiples of it keeps every tile full.
ptrdiff_t ctk_sgemm_tile_rows(int level);

/// The columns of C one micro-kernel call computes at `level` (0 if there is no fast path).
ptrdiff_t ctk_sgemm_tile_columns(int level);

/// The length of the blocks of `k` whose products are summed before being added to C (the
/// same at every level, so that every level gives the same bits).
ptrdiff_t ctk_sgemm_depth_block(void);

/// In-place `x[i] *= factor` for the `n` values at `x`, at vector `level` (lowered to what the
/// CPU supports). Each product is rounded once, as in any scalar loop, so the result has the
/// same bits at every level. Returns false, having written nothing, if there is no fast path
/// here (level 0, or not x86-64).
bool ctk_scale_f32(float *x, ptrdiff_t n, float factor, int level);

/// `ctk_scale_f32` in double precision.
bool ctk_scale_f64(double *x, ptrdiff_t n, double factor, int level);

/// In-place clamp of the `n` values at `x` into `[-limit, limit]`: `y = limit < x ? limit : x`,
/// then `-limit > y ? -limit : y`, so a NaN stays NaN and the bits equal those of the core's
/// Swift kernels at every level. Returns false, having written nothing, where `ctk_scale_f32`
/// would.
bool ctk_clamp_f32(float *x, ptrdiff_t n, float limit, int level);

/// `ctk_clamp_f32` in double precision.
bool ctk_clamp_f64(double *x, ptrdiff_t n, double limit, int level);

/// The sums of squares of the consecutive blocks of `block_length` values at `x` (the last block
/// may be shorter) into `sums[0...]`, one per block: each summed exactly as the core's portable
/// kernel sums a block (two 16-lane float accumulators over sub-blocks of `sub_block_length`,
/// lanes folded in halves, the zero-padded last vectors added one by one), so the same bits, at
/// vector `level`. Returns false, having written nothing, where `ctk_scale_f32` would.
bool ctk_block_squares_f32(const float *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           float *sums, int level);

/// `ctk_block_squares_f32` in double precision (8-lane accumulators).
bool ctk_block_squares_f64(const double *x, ptrdiff_t n, ptrdiff_t block_length, ptrdiff_t sub_block_length,
                           double *sums, int level);

#endif

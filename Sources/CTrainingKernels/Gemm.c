// The single-precision GEMM driver: cache blocking (Goto / BLIS style) around the
// register-blocked micro-kernels of GemmKernelAVX2.c and GemmKernelAVX512.c.
//
// Loops, outermost first:
//   jc: columns of C in blocks of NC; the packed kc x NC block of B lives in L3 (or L2);
//   pc: depth in blocks of CTK_KC; B's block is packed here;
//   ic: rows of C in blocks of MC; the packed MC x kc block of A is reused from L2;
//   jr, ir: tiles of MR x NR, each one micro-kernel call (the kc x NR panel of B stays in L1
//           while the ir loop runs down the rows).
// Each depth block's sum is added to C (replacing C on the first block unless accumulating),
// so every element of C is summed in the same order wherever its tile falls.
#include "CTrainingKernels.h"
#include "GemmInternal.h"

#if CTK_HAVE_X86_GEMM
#include <stdlib.h>
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#define CTK_HAVE_PTHREAD 1
#else
#define CTK_HAVE_PTHREAD 0
#endif

/// The largest tile of any level, for the edge-tile buffer.
#define MAX_TILE (12 * 32)
/// Rows of A packed at a time (a multiple of both levels' MR): 192 x 256 floats, 192 KB, stay
/// in L2 (1 MB here). Columns of B packed at a time: 256 x 2048 floats, 2 MB, in L3. Tried on
/// this machine: KC 128 to 384, MC 96 to 384 and NC 512 to 4096 moved each shape by under 10%,
/// and no other choice was faster on every shape.
#define MC 192
#define NC 2048

static const ctk_gemm_config avx2_config = {
    6, 16, MC, NC, ctk_kernel_avx2_6x16, ctk_edge_store_avx2, ctk_tile_squares_avx2};
static const ctk_gemm_config avx512_config = {
    12, 32, MC, NC, ctk_kernel_avx512_12x32, ctk_edge_store_avx512, ctk_tile_squares_avx512};

const ctk_gemm_config *ctk_gemm_config_for_level(int level) {
  if (level > ctk_vector_level()) level = ctk_vector_level();
  if (level >= 3) return &avx512_config;
  if (level == 2) return &avx2_config;
  return NULL;
}

// MARK: - Per-thread packing buffer

/// Floats in one thread's packing buffer: an A block (MC x KC) then a B block (KC x NC).
#define SCRATCH_A_FLOATS ((size_t)MC * CTK_KC)
#define SCRATCH_FLOATS (SCRATCH_A_FLOATS + (size_t)CTK_KC * NC)

static _Thread_local float *thread_scratch = NULL;

#if CTK_HAVE_PTHREAD
static pthread_key_t scratch_key;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;
static void make_scratch_key(void) { (void)pthread_key_create(&scratch_key, free); }
#endif

/// The calling thread's packing buffer (64-byte aligned), allocated on first use and reused by
/// every later call on the thread (so that its pages are faulted in once), freed when the thread
/// exits (where pthreads exist; elsewhere it lives until the process ends); NULL if the
/// allocation failed. Pages are touched only as far as a problem needs, so a small product
/// costs little memory: 2.3 MB of address space per thread at most.
static float *scratch_buffer(void) {
  if (thread_scratch) return thread_scratch;
  float *buffer = aligned_alloc(64, SCRATCH_FLOATS * sizeof(float));
  if (!buffer) return NULL;
#if CTK_HAVE_PTHREAD
  (void)pthread_once(&scratch_key_once, make_scratch_key);
  (void)pthread_setspecific(scratch_key, buffer);
#endif
  thread_scratch = buffer;
  return buffer;
}

// MARK: - Blocked product

/// The operands of one product, with op(A) and op(B) addressed by element; `tile_sums` (or
/// NULL) receives the sum of squares of each tile of C once it is final.
typedef struct {
  bool trans_a, trans_b, accumulate;
  ptrdiff_t m, n, k, lda, ldb, ldc;
  const float *a, *b;
  float *c;
  double *tile_sums;
  ptrdiff_t tile_row_stride, tile_column_stride;
} gemm_problem;

/// Where the measures of a block of C go: `sums` is the slot of the block's first tile, and
/// the tile `i` rows and `j` columns of tiles further has slot
/// `sums[i * row_stride + j * column_stride]`. A NULL `sums` measures nothing.
typedef struct {
  double *sums;
  ptrdiff_t row_stride, column_stride;
} tile_measures;

/// The slot of the tile at row `i`, column `j` (in elements) of the block, or NULL.
static double *tile_slot(const ctk_gemm_config *cfg, tile_measures measures, ptrdiff_t i, ptrdiff_t j) {
  return measures.sums ? measures.sums + (i / cfg->mr) * measures.row_stride + (j / cfg->nr) * measures.column_stride
                       : NULL;
}

/// Measures the tile at row `i`, column `j` of the block from C.
static void measure_tile(const ctk_gemm_config *cfg, tile_measures measures, ptrdiff_t i, ptrdiff_t j,
                         const float *tile, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns) {
  double *slot = tile_slot(cfg, measures, i, j);
  if (slot) *slot = cfg->measure(tile, ldc, rows, columns);
}

static const float *element_a(const gemm_problem *g, ptrdiff_t i, ptrdiff_t p) {
  return g->trans_a ? g->a + p * g->lda + i : g->a + i * g->lda + p;
}

static const float *element_b(const gemm_problem *g, ptrdiff_t p, ptrdiff_t j) {
  return g->trans_b ? g->b + j * g->ldb + p : g->b + p * g->ldb + j;
}

/// One tile at the bottom or right edge: computed in full into a buffer, then the `rows x
/// columns` part that exists is added to (or stored in) C, with the same arithmetic as a full
/// tile, and measured into `squares` if it is not NULL.
static void edge_tile(const ctk_gemm_config *cfg, ptrdiff_t kc, const float *pa, const float *pb,
                      float *c, ptrdiff_t ldc, ptrdiff_t rows, ptrdiff_t columns, bool add, double *squares) {
  _Alignas(64) float tile[MAX_TILE];
  cfg->kernel(kc, pa, pb, tile, cfg->nr, false, NULL);
  cfg->edge_store(tile, c, ldc, rows, columns, add, squares);
}

/// All tiles of an `mc x nc` block of C from packed blocks of A (mc x kc) and B (kc x nc),
/// each measured into `measures` from the registers it is stored from.
static void macro_kernel(const ctk_gemm_config *cfg, ptrdiff_t mc, ptrdiff_t nc, ptrdiff_t kc,
                         const float *pa, const float *pb, float *c, ptrdiff_t ldc, bool add,
                         tile_measures measures) {
  for (ptrdiff_t j = 0; j < nc; j += cfg->nr) {
    ptrdiff_t columns = nc - j < cfg->nr ? nc - j : cfg->nr;
    const float *panel_b = pb + j * kc;
    for (ptrdiff_t i = 0; i < mc; i += cfg->mr) {
      ptrdiff_t rows = mc - i < cfg->mr ? mc - i : cfg->mr;
      const float *panel_a = pa + i * kc;
      float *tile = c + i * ldc + j;
      if (rows == cfg->mr && columns == cfg->nr) {
        cfg->kernel(kc, panel_a, panel_b, tile, ldc, add, tile_slot(cfg, measures, i, j));
      } else {
        edge_tile(cfg, kc, panel_a, panel_b, tile, ldc, rows, columns, add, tile_slot(cfg, measures, i, j));
      }
    }
  }
}

/// The rows of C for one packed block of B (columns jc..<jc+nc, depth pc..<pc+kc); the tiles
/// are measured on the last depth block, when they are final.
static void row_blocks(const ctk_gemm_config *cfg, const gemm_problem *g, ptrdiff_t jc,
                       ptrdiff_t nc, ptrdiff_t pc, ptrdiff_t kc, const float *pb, float *pa) {
  bool add = g->accumulate || pc > 0;
  bool final = pc + kc >= g->k;
  for (ptrdiff_t ic = 0; ic < g->m; ic += cfg->mc) {
    ptrdiff_t mc = g->m - ic < cfg->mc ? g->m - ic : cfg->mc;
    // MC and NC are multiples of the tile, so the block starts on a tile boundary.
    tile_measures measures = {NULL, g->tile_row_stride, g->tile_column_stride};
    if (final && g->tile_sums) {
      measures.sums = g->tile_sums + (ic / cfg->mr) * g->tile_row_stride + (jc / cfg->nr) * g->tile_column_stride;
    }
    ctk_pack_a(g->trans_a, mc, kc, element_a(g, ic, pc), g->lda, cfg->mr, pa);
    macro_kernel(cfg, mc, nc, kc, pa, pb, g->c + ic * g->ldc + jc, g->ldc, add, measures);
  }
}

static void blocked_gemm(const ctk_gemm_config *cfg, const gemm_problem *g, float *scratch) {
  float *pa = scratch;
  float *pb = scratch + SCRATCH_A_FLOATS;
  for (ptrdiff_t jc = 0; jc < g->n; jc += cfg->nc) {
    ptrdiff_t nc = g->n - jc < cfg->nc ? g->n - jc : cfg->nc;
    for (ptrdiff_t pc = 0; pc < g->k; pc += CTK_KC) {
      ptrdiff_t kc = g->k - pc < CTK_KC ? g->k - pc : CTK_KC;
      ctk_pack_b(g->trans_b, kc, nc, element_b(g, pc, jc), g->ldb, cfg->nr, pb);
      row_blocks(cfg, g, jc, nc, pc, kc, pb, pa);
    }
  }
}

/// C = 0 (the product with k == 0), unless accumulating.
static void clear_c(float *c, ptrdiff_t m, ptrdiff_t n, ptrdiff_t ldc) {
  for (ptrdiff_t i = 0; i < m; ++i) memset(c + i * ldc, 0, (size_t)n * sizeof(float));
}

/// Measures every tile of an `m x n` C into `measures` (for a product with k == 0).
static void measure_all_tiles(const ctk_gemm_config *cfg, const float *c, ptrdiff_t m, ptrdiff_t n,
                              ptrdiff_t ldc, tile_measures measures) {
  for (ptrdiff_t i = 0; i < m; i += cfg->mr) {
    for (ptrdiff_t j = 0; j < n; j += cfg->nr) {
      ptrdiff_t rows = m - i < cfg->mr ? m - i : cfg->mr;
      ptrdiff_t columns = n - j < cfg->nr ? n - j : cfg->nr;
      measure_tile(cfg, measures, i, j, c + i * ldc + j, ldc, rows, columns);
    }
  }
}

bool ctk_sgemm(int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
               const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c,
               ptrdiff_t ldc, bool accumulate) {
  return ctk_sgemm_measured(level, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate, NULL, 0, 0);
}

bool ctk_sgemm_measured(int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                        const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c,
                        ptrdiff_t ldc, bool accumulate, double *tile_sums, ptrdiff_t tile_row_stride,
                        ptrdiff_t tile_column_stride) {
  const ctk_gemm_config *cfg = ctk_gemm_config_for_level(level);
  if (!cfg) return false;
  if (m <= 0 || n <= 0) return true;
  if (k <= 0) {
    if (!accumulate) clear_c(c, m, n, ldc);
    measure_all_tiles(cfg, c, m, n, ldc, (tile_measures){tile_sums, tile_row_stride, tile_column_stride});
    return true;
  }
  float *scratch = scratch_buffer();
  if (!scratch) return false;
  gemm_problem g = {
      trans_a, trans_b, accumulate, m, n, k, lda, ldb, ldc, a, b, c, tile_sums, tile_row_stride, tile_column_stride};
  blocked_gemm(cfg, &g, scratch);
  return true;
}

ptrdiff_t ctk_sgemm_tile_rows(int level) {
  const ctk_gemm_config *cfg = ctk_gemm_config_for_level(level);
  return cfg ? cfg->mr : 0;
}

ptrdiff_t ctk_sgemm_tile_columns(int level) {
  const ctk_gemm_config *cfg = ctk_gemm_config_for_level(level);
  return cfg ? cfg->nr : 0;
}

#else

bool ctk_sgemm(int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
               const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c,
               ptrdiff_t ldc, bool accumulate) {
  (void)level, (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k;
  (void)a, (void)lda, (void)b, (void)ldb, (void)c, (void)ldc, (void)accumulate;
  return false;
}

bool ctk_sgemm_measured(int level, bool trans_a, bool trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                        const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c,
                        ptrdiff_t ldc, bool accumulate, double *tile_sums, ptrdiff_t tile_row_stride,
                        ptrdiff_t tile_column_stride) {
  (void)tile_sums, (void)tile_row_stride, (void)tile_column_stride;
  return ctk_sgemm(level, trans_a, trans_b, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}

ptrdiff_t ctk_sgemm_tile_rows(int level) {
  (void)level;
  return 0;
}

ptrdiff_t ctk_sgemm_tile_columns(int level) {
  (void)level;
  return 0;
}

#endif

ptrdiff_t ctk_sgemm_depth_block(void) { return CTK_KC; }

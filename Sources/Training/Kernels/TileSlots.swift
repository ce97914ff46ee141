import CTrainingKernels

/// The tiles of the C kernels over one product's `C`: `rows x columns` tiles of the level's
/// tile size, the last row and column of tiles cut short.
struct TileGrid: Sendable {
  let tileRows: Int
  let tileColumns: Int
  let rows: Int
  let columns: Int

  init(operands: GEMMOperands<Float>, level: Int) {
    tileRows = max(1, ctk_sgemm_tile_rows(Int32(level)))
    tileColumns = max(1, ctk_sgemm_tile_columns(Int32(level)))
    rows = (operands.m + tileRows - 1) / tileRows
    columns = (operands.n + tileColumns - 1) / tileColumns
  }

  var count: Int { rows * columns }
}

/// Where the C kernels put the measure (sum of squares) of each tile of a product's `C`: one
/// `Double` per tile of `grid`, in row-major tile order.
///
/// The slots are packed: threads writing the slots of their own tiles share a cache line only
/// where their blocks meet, once per tile at most (a slot per cache line cost more in zeroing
/// and in summing than that sharing does). Adding the slots in a fixed order (``total``) gives
/// the same bits however the product was cut between threads.
struct TileSlots: @unchecked Sendable {
  /// The slot of the first tile (of the product, or of a block of it).
  let base: UnsafeMutablePointer<Double>
  let grid: TileGrid

  /// The distance between a slot and the one a row of tiles below it, in `Double`s.
  var rowStride: Int { grid.columns }

  /// The slots of a block of `C` starting `start` rows or columns in (a multiple of the tile,
  /// as partitions are).
  func block(startingAt start: Int, along axis: GEMMPartition.Axis) -> TileSlots {
    switch axis {
    case .rows: TileSlots(base: base + start / grid.tileRows * rowStride, grid: grid)
    case .columns: TileSlots(base: base + start / grid.tileColumns, grid: grid)
    }
  }

  /// The sum of every tile's measure, in an order fixed by the grid (``fourWaySum(count:_:)``).
  var total: Double { fourWaySum(count: grid.count) { base[$0] } }

  /// Records a block the portable path computed (the C path could not allocate its packing
  /// buffer): the sum of its squares, all in its first slot; its other slots stay zero.
  func recordWhole(_ o: GEMMOperands<Float>) {
    var sum = 0.0
    for row in 0..<o.m {
      for column in 0..<o.n {
        let value = Double(o.c[row * o.ldc + column])
        sum += value * value
      }
    }
    base.pointee = sum
  }
}

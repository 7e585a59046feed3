import Foundation
import SeeAlsoSupport

/// The tile engine shared by every all-pairs search: for a tile of query rows and a block of
/// database rows, a producer fills a dense score buffer (GEMM and/or sparse accumulation), then
/// the selector offers the buffer's scores to each query's top-k heap.
///
/// This keeps score computation apart from selection, as FAISS does for exhaustive search.
/// Tiles are scheduled dynamically over the workers; each worker owns one score buffer of
/// `rowTile × columnBlock` floats. Results do not depend on the worker count.
package enum TiledSearch {
    /// Tile shape: query rows per tile and database rows per column block.
    package struct Layout: Sendable {
        package var rowTile: Int
        package var columnBlock: Int
    }

    /// The tiles `runSymmetric` scores over `count` rows: each tile of `rowTile` rows (in order)
    /// against the rows before its end, in column blocks of a whole number of tiles, at most
    /// `columnBlock` wide. O(1) memory; the blocks of a tile are generated lazily.
    package struct SymmetricSchedule: Sendable {
        package let count: Int
        package let rowTile: Int
        /// Width of every column block but a tile's last (and the score buffer's row stride bound).
        package let blockWidth: Int

        package init(count: Int, layout: Layout) {
            self.count = count
            rowTile = layout.rowTile
            blockWidth = max(rowTile, min(layout.columnBlock, max(1, count)) / rowTile * rowTile)
        }

        package var tileCount: Int { (count + rowTile - 1) / rowTile }

        package func rows(ofTile tile: Int) -> Range<Int> { tile * rowTile..<min(count, (tile + 1) * rowTile) }

        /// The column blocks tile `tile` is scored against: `0..<rows(ofTile: tile).upperBound` in steps of `blockWidth`.
        package func columnBlocks(ofTile tile: Int) -> LazyMapSequence<StrideTo<Int>, Range<Int>> {
            let end = rows(ofTile: tile).upperBound
            let width = blockWidth
            return stride(from: 0, to: end, by: width).lazy.map { $0..<min(end, $0 + width) }
        }
    }

    /// `prepare(rows)` builds per-tile state; `fill(&state, rows, columns, buffer, stride)` writes
    /// the score of query `r` against database item `c` at `buffer[(r - rows.lowerBound) * stride + c - columns.lowerBound]`.
    static func run<TileState>(
        queryCount: Int, databaseCount: Int, k: Int, floor: Float, excludeSelf: Bool, layout: Layout,
        progress: ProgressTask?,
        prepare: @Sendable (Range<Int>) -> TileState,
        fill: @Sendable (inout TileState, Range<Int>, Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> NeighborLists {
        let heaps = TopKHeaps(rowCount: queryCount, k: k, floor: floor)
        let tileCount = (queryCount + layout.rowTile - 1) / layout.rowTile
        let blockWidth = min(layout.columnBlock, max(1, databaseCount))
        let workers = Parallelism.workerCount
        let buffers = (0..<workers).map { _ in ScoreBuffer(count: layout.rowTile * blockWidth) }
        Parallelism.forEachDynamic(tileCount, workers: workers) { tile, worker in
            let rows = tile * layout.rowTile..<min(queryCount, (tile + 1) * layout.rowTile)
            let buffer = buffers[worker].pointer
            var state = prepare(rows)
            var blockStart = 0
            while blockStart < databaseCount {
                let columns = blockStart..<min(databaseCount, blockStart + blockWidth)
                fill(&state, rows, columns, buffer, columns.count)
                for row in rows {
                    collectCandidates(buffer + (row - rows.lowerBound) * columns.count, count: columns.count,
                                      firstId: columns.lowerBound, into: heaps, row: row,
                                      excluded: excludeSelf ? row : -1)
                }
                blockStart = columns.upperBound
            }
            progress?.advance(by: rows.count)
        }
        return heaps.lists()
    }

    /// All-pairs search of a set against itself, computing each pair once: a tile of rows R is
    /// scored only against rows before R's end (the lower triangle), and every score is offered
    /// both to its row's heap and to its column's heap. This halves the score computation; the
    /// selection scans each computed score twice. Heap updates are serialized per row tile with a
    /// lock (a worker never holds two locks), so results do not depend on scheduling.
    static func runSymmetric<TileState>(
        count: Int, k: Int, floor: Float, layout: Layout, progress: ProgressTask?,
        prepare: @Sendable (Range<Int>) -> TileState,
        fill: @Sendable (inout TileState, Range<Int>, Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> NeighborLists {
        let heaps = TopKHeaps(rowCount: count, k: k, floor: floor)
        let schedule = SymmetricSchedule(count: count, layout: layout)
        let tile = schedule.rowTile
        let locks = (0..<schedule.tileCount).map { _ in NSLock() }
        let workers = Parallelism.workerCount
        let buffers = (0..<workers).map { _ in ScoreBuffer(count: tile * schedule.blockWidth) }
        let offers = ColumnOffers(workers: workers)
        // Tiles in increasing order: a row's heap is filled by its own tile before later tiles offer
        // it column-side candidates, so their thresholds already filter most of them out.
        Parallelism.forEachDynamic(schedule.tileCount, workers: workers) { tileIndex, worker in
            let rows = schedule.rows(ofTile: tileIndex)
            let buffer = buffers[worker].pointer
            var state = prepare(rows)
            for columns in schedule.columnBlocks(ofTile: tileIndex) {
                let stride = columns.count
                fill(&state, rows, columns, buffer, stride)
                locks[tileIndex].withLock {
                    for row in rows {
                        collectCandidates(buffer + (row - rows.lowerBound) * stride, count: stride,
                                          firstId: columns.lowerBound, into: heaps, row: row, excluded: row)
                    }
                }
                // Column side: items before this tile also see each row of the tile as a candidate.
                let before = columns.lowerBound..<min(columns.upperBound, rows.lowerBound)
                if !before.isEmpty {
                    offers.offer(buffer, stride: stride, rows: rows, columns: before, columnOffset: columns.lowerBound,
                                 heaps: heaps, locks: locks, tile: tile, worker: worker)
                }
            }
            progress?.advance(by: rows.count)
        }
        return heaps.lists()
    }

    /// All pairs between two sets stored as one index space: rows `split..<count` (the second set)
    /// against rows `0..<split` (the first), each pair computed once and offered to both rows' heaps,
    /// as `runSymmetric` does; pairs within a set are not scored. A sharded build scores shard pairs
    /// with this and `runSymmetric` for each shard alone, and together they cover every pair once.
    static func runCross<TileState>(
        count: Int, split: Int, k: Int, floor: Float, layout: Layout, progress: ProgressTask?,
        prepare: @Sendable (Range<Int>) -> TileState,
        fill: @Sendable (inout TileState, Range<Int>, Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> NeighborLists {
        precondition(0 <= split && split <= count, "runCross: split \(split) outside 0...\(count)")
        let heaps = TopKHeaps(rowCount: count, k: k, floor: floor)
        let tile = layout.rowTile
        let tileCount = (count - split + tile - 1) / tile
        let blockWidth = max(tile, min(layout.columnBlock, max(1, split)) / tile * tile)
        // Column heaps (rows of the first set) are shared by every tile: one lock per `tile` of them.
        let locks = (0..<max(1, (split + tile - 1) / tile)).map { _ in NSLock() }
        let workers = Parallelism.workerCount
        let buffers = (0..<workers).map { _ in ScoreBuffer(count: tile * blockWidth) }
        let offers = ColumnOffers(workers: workers)
        Parallelism.forEachDynamic(tileCount, workers: workers) { tileIndex, worker in
            let rows = split + tileIndex * tile..<min(count, split + (tileIndex + 1) * tile)
            let buffer = buffers[worker].pointer
            var state = prepare(rows)
            for blockStart in stride(from: 0, to: split, by: blockWidth) {
                let columns = blockStart..<min(split, blockStart + blockWidth)
                let stride = columns.count
                fill(&state, rows, columns, buffer, stride)
                // Row heaps of this tile are touched by this worker only.
                for row in rows {
                    collectCandidates(buffer + (row - rows.lowerBound) * stride, count: stride,
                                      firstId: columns.lowerBound, into: heaps, row: row, excluded: -1)
                }
                offers.offer(buffer, stride: stride, rows: rows, columns: columns, columnOffset: columns.lowerBound,
                             heaps: heaps, locks: locks, tile: tile, worker: worker)
            }
            progress?.advance(by: rows.count)
        }
        return heaps.lists()
    }

    /// The column side of a symmetric or cross search: each worker's reusable candidate list, and the
    /// offer of a score block to the heaps of its columns.
    private struct ColumnOffers {
        let scratch: [Locked<[ColumnCandidate]>]

        init(workers: Int) { scratch = (0..<workers).map { _ in Locked([ColumnCandidate]()) } }

        /// Offers each row of `rows` to the heap of each column of `columns` (buffer column 0 is `columnOffset`).
        func offer(_ buffer: UnsafeMutablePointer<Float>, stride: Int, rows: Range<Int>, columns: Range<Int>, columnOffset: Int,
                   heaps: TopKHeaps, locks: [NSLock], tile: Int, worker: Int) {
            var candidates = scratch[worker].withLock { list -> [ColumnCandidate] in
                defer { list = [] }
                return list
            }
            candidates.removeAll(keepingCapacity: true)
            collectColumnCandidates(buffer, stride: stride, rows: rows, columns: columns, columnOffset: columnOffset,
                                    heaps: heaps, into: &candidates)
            pushColumnCandidates(&candidates, heaps: heaps, locks: locks, tile: tile)
            scratch[worker].withLock { $0 = candidates }
        }
    }

    struct ColumnCandidate {
        var column: Int32
        var row: Int32
        var score: Float
    }

    /// For each column c of `columns`, the buffer entries (rows of the tile) that may enter c's heap,
    /// judged against a snapshot of c's threshold (stale snapshots only add candidates; `push` re-checks).
    private static func collectColumnCandidates(
        _ buffer: UnsafeMutablePointer<Float>, stride: Int, rows: Range<Int>, columns: Range<Int>, columnOffset: Int,
        heaps: TopKHeaps, into candidates: inout [ColumnCandidate]
    ) {
        var thresholds = [Float](unsafeUninitializedCapacity: columns.count) { values, initialized in
            for (index, column) in columns.enumerated() { values[index] = heaps.threshold(column) }
            initialized = columns.count
        }
        thresholds.withUnsafeMutableBufferPointer { thresholds in
            let limits = UnsafeRawPointer(thresholds.baseAddress!)
            for row in rows {
                let scores = buffer + (row - rows.lowerBound) * stride + (columns.lowerBound - columnOffset)
                let raw = UnsafeRawPointer(scores)
                var index = 0
                while index + 8 <= columns.count {
                    let block = raw.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                    let limit = limits.loadUnaligned(fromByteOffset: index * 4, as: SIMD8<Float>.self)
                    if any(block .>= limit) {
                        for lane in 0..<8 where scores[index + lane] >= thresholds[index + lane] {
                            candidates.append(ColumnCandidate(column: Int32(columns.lowerBound + index + lane),
                                                              row: Int32(row), score: scores[index + lane]))
                        }
                    }
                    index += 8
                }
                while index < columns.count {
                    if scores[index] >= thresholds[index] {
                        candidates.append(ColumnCandidate(column: Int32(columns.lowerBound + index), row: Int32(row),
                                                          score: scores[index]))
                    }
                    index += 1
                }
            }
        }
    }

    /// Pushes column candidates into their heaps, taking each owning tile's lock once.
    private static func pushColumnCandidates(_ candidates: inout [ColumnCandidate], heaps: TopKHeaps, locks: [NSLock], tile: Int) {
        guard !candidates.isEmpty else { return }
        candidates.sort { $0.column != $1.column ? $0.column < $1.column : $0.row < $1.row }
        var start = 0
        while start < candidates.count {
            let owner = Int(candidates[start].column) / tile
            var end = start
            while end < candidates.count && Int(candidates[end].column) / tile == owner { end += 1 }
            locks[owner].withLock {
                for candidate in candidates[start..<end] {
                    heaps.push(row: Int(candidate.column), id: candidate.row, score: candidate.score)
                }
            }
            start = end
        }
    }
}

/// A worker's score buffer (raw memory, reused for every tile).
package final class ScoreBuffer: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<Float>
    package init(count: Int) { pointer = .allocate(capacity: max(1, count)) }
    deinit { pointer.deallocate() }
}

import Foundation
import SeeAlsoBLAS
import SeeAlsoSupport
import SeeAlsoVectorize

/// Exact top-k inner products between all rows of a sparse matrix (cosine similarity when rows
/// are L2-normalised, as TF-IDF rows are): for every article, its k most similar other articles.
///
/// Method: the columns (terms) are split into a dense *head* of the most frequent terms and a
/// sparse *tail*. Scores of a tile of rows against a block of rows are the head part, one
/// `sgemm` of the dense head columns, plus the tail part, accumulated from the tail terms'
/// postings (an inverted index) into the same buffer; then each row's candidates go through a
/// threshold-prefiltered top-k heap. The head size H minimises the estimated cost
/// 2·n²·H / (GEMM rate) + Σ_{tail t} df(t)² / (scatter rate); H = 0 is pure sparse accumulation.
/// Time O(n²·H + Σ_tail df² + n²) — the last term is the selection scan; memory O(nnz + n·H) plus
/// one `rowTile × columnBlock` buffer per worker. Only scores > `floor` (default 0) are listed.
/// The search keeps `CanonicalScores.margin(for: k)` extra candidates per row, then rescores them
/// canonically and keeps k, so ties are broken by id and lists do not depend on H or the tiling.
package enum ExactAllPairs {
    package struct Options: Sendable {
        package var k = 10
        /// Number of dense head terms; nil chooses it by the cost model.
        package var headTerms: Int?
        package var floor: Float = 0
        package var rowTile = 128
        package var columnBlock = 16_384
        package init(k: Int = 10) { self.k = k }
    }

    /// Measured on this project's 2-core Zen3 machine: the effective one-thread FLOP rate of the head
    /// step (an sgemm with K = H ≤ a few hundred, whose C pass over the score tile costs as much as
    /// its FLOPs at small H: 2·10¹⁰, not the 7·10¹⁰ of the GEMM alone; with it 20NG, Reuters and
    /// synth-100k get H = 0, measured as fast as H = 16 on the first two and ~10% faster on synth-100k)
    /// and seconds per scattered sparse update.
    static let gemmFlopsPerSecond = 2.0e10
    static let scatterSeconds = 1.2e-9

    /// The head size the cost model picks, and the estimated seconds per worker-sum for each candidate.
    package static func chooseHead(frequencies: [Int], rowCount: Int, maximumBytes: Int = 1 << 30) -> Int {
        let sorted = frequencies.sorted(by: >)
        var tailCost = sorted.reduce(0.0) { $0 + Double($1) * Double($1) }
        var best = (terms: 0, cost: tailCost * scatterSeconds)
        var head = 0
        for candidate in [16, 32, 64, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048] where candidate <= sorted.count {
            guard rowCount * candidate * 4 <= maximumBytes else { break }
            for index in head..<candidate { tailCost -= Double(sorted[index]) * Double(sorted[index]) }
            head = candidate
            let n = Double(rowCount)
            let cost = 2 * n * n * Double(candidate) / gemmFlopsPerSecond + tailCost * scatterSeconds
            if cost < best.cost { best = (candidate, cost) }
        }
        return best.terms
    }

    package static func run(_ matrix: CSRMatrix, postings: SparsePostings? = nil, options: Options = Options(),
                            progress: ProgressTask? = nil) -> NeighborLists {
        search(matrix, postings: postings, options: options) { k, layout, prepare, fill in
            TiledSearch.runSymmetric(count: matrix.rowCount, k: k, floor: options.floor, layout: layout, progress: progress,
                                     prepare: prepare, fill: fill)
        }
    }

    /// Exact top-k between two sets of rows stored as one matrix, rows `0..<split` and `split..<rowCount`:
    /// each row's list holds rows of the other set only. With `run` on each set alone this covers every
    /// pair of the union once, so merging the lists (`NeighborLists.merging`) gives the union's lists.
    /// Time O(a·b·H + tail) for sets of a and b rows.
    package static func runCross(_ matrix: CSRMatrix, split: Int, options: Options = Options(), progress: ProgressTask? = nil) -> NeighborLists {
        search(matrix, postings: nil, options: options) { k, layout, prepare, fill in
            TiledSearch.runCross(count: matrix.rowCount, split: split, k: k, floor: options.floor, layout: layout, progress: progress,
                                 prepare: prepare, fill: fill)
        }
    }

    /// The head/tail split, the fill (head GEMM + tail postings) and canonical rescoring around a tile schedule.
    private static func search(
        _ matrix: CSRMatrix, postings: SparsePostings?, options: Options,
        schedule: (Int, TiledSearch.Layout, @Sendable (Range<Int>) -> TailCursors,
                   @escaping @Sendable (inout TailCursors, Range<Int>, Range<Int>, UnsafeMutablePointer<Float>, Int) -> Void) -> NeighborLists
    ) -> NeighborLists {
        let postings = postings ?? SparsePostings(matrix)
        let frequencies = (0..<matrix.columnCount).map { postings.frequency($0) }
        let headCount = min(options.headTerms ?? chooseHead(frequencies: frequencies, rowCount: matrix.rowCount), matrix.columnCount)
        let split = HeadTailSplit(matrix: matrix, frequencies: frequencies, headCount: headCount)
        let layout = TiledSearch.Layout(rowTile: options.rowTile, columnBlock: options.columnBlock)
        return split.head.values.withUnsafeBufferPointer { headValues in
            let head = SharedPointer(headValues.baseAddress ?? UnsafePointer(bitPattern: 16)!)
            let fast = schedule(
                options.k + CanonicalScores.margin(for: options.k), layout,
                { rows in TailCursors(split: split, postings: postings, rows: rows) },
                { cursors, rows, columns, buffer, stride in
                    // Tail first, each buffer row zeroed just before its scatter (so it is cache-resident
                    // while scattered into), then the head GEMM adds onto the buffer (beta = 1).
                    cursors.accumulate(postings: postings, columns: columns, buffer: buffer, stride: stride)
                    if headCount > 0 {
                        BLAS.sgemm(transposeB: true, m: rows.count, n: columns.count, k: headCount,
                                   a: head.base + rows.lowerBound * headCount, lda: headCount,
                                   b: head.base + columns.lowerBound * headCount, ldb: headCount,
                                   beta: 1, c: buffer, ldc: stride)
                    }
                })
            return CanonicalScores.rescore(fast, matrix: matrix, keep: options.k)
        }
    }
}

/// The matrix split into a dense head (the most frequent columns) and a sparse tail.
struct HeadTailSplit: Sendable {
    let head: DenseMatrix
    /// Tail entries per row, CSR-like: columns and values of non-head terms.
    let tailStarts: [Int]
    let tailColumns: [Int32]
    let tailValues: [Float]

    /// With `headCount` 0 the tail is the matrix itself, shared (copy-on-write), not copied. O(nnz) otherwise.
    init(matrix: CSRMatrix, frequencies: [Int], headCount: Int) {
        guard headCount > 0 else {
            head = DenseMatrix(rowCount: 0, columnCount: 0)
            tailStarts = matrix.rowStarts
            tailColumns = matrix.columns
            tailValues = matrix.values
            return
        }
        var headIndex = [Int32](repeating: -1, count: matrix.columnCount)
        let order = (0..<matrix.columnCount).sorted { frequencies[$0] != frequencies[$1] ? frequencies[$0] > frequencies[$1] : $0 < $1 }
        for (position, column) in order.prefix(headCount).enumerated() { headIndex[column] = Int32(position) }
        var head = DenseMatrix(rowCount: matrix.rowCount, columnCount: headCount)
        var starts = [0]
        starts.reserveCapacity(matrix.rowCount + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                let column = matrix.columns[index]
                let position = headIndex[Int(column)]
                if position >= 0 {
                    head[row, Int(position)] = matrix.values[index]
                } else {
                    columns.append(column)
                    values.append(matrix.values[index])
                }
            }
            starts.append(columns.count)
        }
        self.head = head
        tailStarts = starts
        tailColumns = columns
        tailValues = values
    }
}

/// For one tile of query rows: a cursor into the postings of each tail entry, advanced block by
/// block (postings are sorted by row, blocks are visited in increasing order).
struct TailCursors {
    let rows: Range<Int>
    var entryStarts: [Int] = []
    var positions: [Int] = []
    var ends: [Int] = []
    var weights: [Float] = []

    init(split: HeadTailSplit, postings: SparsePostings, rows: Range<Int>) {
        self.rows = rows
        let entryCount = split.tailStarts[rows.upperBound] - split.tailStarts[rows.lowerBound]
        entryStarts.reserveCapacity(rows.count + 1)
        positions.reserveCapacity(entryCount)
        ends.reserveCapacity(entryCount)
        weights.reserveCapacity(entryCount)
        for row in rows {
            entryStarts.append(positions.count)
            for index in split.tailStarts[row]..<split.tailStarts[row + 1] {
                let column = Int(split.tailColumns[index])
                positions.append(postings.columnStarts[column])
                ends.append(postings.columnStarts[column + 1])
                weights.append(split.tailValues[index])
            }
        }
        entryStarts.append(positions.count)
    }

    /// Writes the tail part of every query row's scores against `columns` into `buffer` (each row's
    /// `columns.count` entries are zeroed, then accumulated from the postings).
    mutating func accumulate(postings: SparsePostings, columns: Range<Int>, buffer: UnsafeMutablePointer<Float>, stride: Int) {
        let limit = Int32(columns.upperBound)
        let offset = columns.lowerBound
        postings.rows.withUnsafeBufferPointer { postingRows in
            postings.values.withUnsafeBufferPointer { postingValues in
                positions.withUnsafeMutableBufferPointer { positions in
                    for (local, _) in rows.enumerated() {
                        (buffer + local * stride).update(repeating: 0, count: columns.count)
                        let scores = buffer + local * stride - offset
                        for entry in entryStarts[local]..<entryStarts[local + 1] {
                            let weight = weights[entry]
                            var position = positions[entry]
                            let end = ends[entry]
                            while position < end {
                                let row = postingRows[position]
                                if row >= limit { break }
                                scores[Int(row)] += weight * postingValues[position]
                                position += 1
                            }
                            positions[entry] = position
                        }
                    }
                }
            }
        }
    }
}

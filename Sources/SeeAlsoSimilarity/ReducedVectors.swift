import SeeAlsoVectorize

/// Every row's unit LSA vector as an index file takes them: held in memory, or projected again from the
/// TF-IDF rows block by block while they are written (a freshly built partitioned index drops its
/// 4·n·d bytes of vectors after the candidate search; the projection is the same bit for bit, since
/// each row's product is computed alone).
package enum ReducedVectors: Sendable {
    case held(DenseMatrix)
    case projected(CSRMatrix, RandomizedSVD)

    package var rowCount: Int {
        switch self {
        case .held(let vectors): return vectors.rowCount
        case .projected(let rows, _): return rows.rowCount
        }
    }

    package var dimensions: Int {
        switch self {
        case .held(let vectors): return vectors.columnCount
        case .projected(_, let svd): return svd.rank
        }
    }

    /// All the vectors in one matrix (`.projected`: 4·n·d bytes, 2·nnz·d FLOPs).
    package var matrix: DenseMatrix {
        switch self {
        case .held(let vectors): return vectors
        case .projected(let rows, let svd): return svd.project(rows, normalize: true)
        }
    }

    /// Calls `body` with the vectors of consecutive blocks of at most `blockRows` rows, in row order
    /// (`.projected`: memory of one block, 4·blockRows·d bytes).
    package func forEachBlock(blockRows: Int, _ body: (DenseMatrix) throws -> Void) rethrows {
        switch self {
        case .held(let vectors):
            try body(vectors)
        case .projected(let rows, let svd):
            for first in stride(from: 0, to: rows.rowCount, by: blockRows) {
                try body(svd.project(rows.selectingRows(Array(first..<min(rows.rowCount, first + blockRows))), normalize: true))
            }
        }
    }
}

import SeeAlsoBLAS
import SeeAlsoSupport

/// Exhaustive top-k inner products over dense vectors (cosine for unit rows): tiled `sgemm` of a
/// tile of queries against a block of the database, each buffer scanned by the top-k handler.
///
/// `allPairs` is the self-join: it computes the lower triangle only and offers each score to
/// both rows (half the FLOPs of a query-against-database search). Cost 2·n²·d FLOPs for
/// `search`, n²·d for `allPairs`; memory one `rowTile × columnBlock` buffer per worker.
package enum DenseAllPairs {
    package static let defaultLayout = TiledSearch.Layout(rowTile: 256, columnBlock: 4096)

    /// Every row's k most similar other rows, self excluded.
    package static func allPairs(_ vectors: DenseMatrix, k: Int, floor: Float = 0, progress: ProgressTask? = nil) -> NeighborLists {
        let d = vectors.columnCount
        return vectors.values.withUnsafeBufferPointer { values in
            let base = SharedPointer(values.baseAddress!)
            return TiledSearch.runSymmetric(
                count: vectors.rowCount, k: k, floor: floor,
                layout: defaultLayout,
                progress: progress, prepare: { _ in () },
                fill: { _, rows, columns, buffer, stride in
                    BLAS.sgemm(transposeB: true, m: rows.count, n: columns.count, k: d,
                               a: base.base + rows.lowerBound * d, lda: d, b: base.base + columns.lowerBound * d, ldb: d,
                               c: buffer, ldc: stride)
                })
        }
    }

    /// Each query's k most similar database rows (no exclusion).
    package static func search(queries: DenseMatrix, database: DenseMatrix, k: Int, floor: Float = -.infinity,
                              progress: ProgressTask? = nil) -> NeighborLists {
        precondition(queries.columnCount == database.columnCount, "DenseAllPairs.search: dimension mismatch")
        let d = queries.columnCount
        return queries.values.withUnsafeBufferPointer { queryValues in
            database.values.withUnsafeBufferPointer { databaseValues in
                let queryBase = SharedPointer(queryValues.baseAddress!)
                let databaseBase = SharedPointer(databaseValues.baseAddress!)
                return TiledSearch.run(
                    queryCount: queries.rowCount, databaseCount: database.rowCount, k: k, floor: floor, excludeSelf: false,
                    layout: defaultLayout,
                    progress: progress, prepare: { _ in () },
                    fill: { _, rows, columns, buffer, stride in
                        BLAS.sgemm(transposeB: true, m: rows.count, n: columns.count, k: d,
                                   a: queryBase.base + rows.lowerBound * d, lda: d,
                                   b: databaseBase.base + columns.lowerBound * d, ldb: d, c: buffer, ldc: stride)
                    })
            }
        }
    }
}

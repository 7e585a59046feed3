import SeeAlsoSupport

/// The report's 2-D map: LSA vectors of (a sample of) the articles projected onto their two principal
/// components.
struct ReportMap {
    /// 2-D coordinates, one per sampled row.
    var points: [(x: Float, y: Float)]
    /// The LSA vectors they were projected from (rows × dimensions, unit rows).
    var vectors: DenseMatrix
    var dimensions: Int { vectors.columnCount }

    /// `rows` when there are at most `limit`, else `limit` of them evenly spaced (deterministic, in order).
    static func sample(_ rows: [Int], limit: Int) -> [Int] {
        guard rows.count > limit else { return rows }
        return (0..<limit).map { rows[$0 * rows.count / limit] }
    }

    /// LSA of the TF-IDF rows `rows` (randomized SVD fitted on them, `dimensions` capped by the rows and
    /// terms, unit rows), then centred and projected onto the top two eigenvectors of its covariance.
    static func coordinates(_ index: Index, rows: [Int], dimensions: Int, seed: UInt64) throws -> ReportMap {
        let matrix = index.rowStorage.withRows { $0.selecting(rows) }
        let rank = min(dimensions, matrix.rowCount, matrix.columnCount)
        guard rank >= 1 else { return ReportMap(points: rows.map { _ in (0, 0) }, vectors: DenseMatrix(rowCount: rows.count, columnCount: 0)) }
        let vectors = try RandomizedSVD.fit(matrix, rank: rank, seed: seed).project(matrix)
        return ReportMap(points: try principalPlane(vectors), vectors: vectors)
    }

    /// Each row of `vectors` minus the mean row, on the two directions of largest variance: PCA, as the
    /// exact SVD of the centred rows (oversampling by every dimension leaves nothing to approximate). The
    /// second axis is 0 with one dimension. O(n·d²).
    static func principalPlane(_ vectors: DenseMatrix) throws -> [(x: Float, y: Float)] {
        let n = vectors.rowCount, d = vectors.columnCount
        guard n >= 2 else { return (0..<n).map { _ in (0, 0) } }
        var mean = [Float](repeating: 0, count: d)
        for row in 0..<n { for column in 0..<d { mean[column] += vectors[row, column] / Float(n) } }
        var centred = vectors.values
        for row in 0..<n { for column in 0..<d { centred[row * d + column] -= mean[column] } }
        let rows = CSRMatrix(rowCount: n, columnCount: d, rowStarts: (0...n).map { $0 * d },
                             columns: (0..<n * d).map { Int32($0 % d) }, values: centred)
        let rank = min(2, d, n)
        let plane = try RandomizedSVD.fit(rows, rank: rank, oversampling: d).project(rows, normalize: false)
        return (0..<n).map { (plane[$0, 0], rank > 1 ? plane[$0, 1] : 0) }
    }

    /// For each topic, its sampled rows by decreasing cosine to the mean of their LSA vectors.
    func nearestToTopicMeans(rows: [Int], topic: (Int) -> Int?) -> [Int: [Int]] {
        var members: [Int: [Int]] = [:]
        for (position, row) in rows.enumerated() { if let id = topic(row) { members[id, default: []].append(position) } }
        let d = dimensions
        return members.mapValues { positions in
            var mean = [Float](repeating: 0, count: d)
            for position in positions { for column in 0..<d { mean[column] += vectors[position, column] } }
            let score = positions.map { position in (0..<d).reduce(Float(0)) { $0 + vectors[position, $1] * mean[$1] } }
            return positions.indices.sorted { (score[$0], positions[$1]) > (score[$1], positions[$0]) }.map { rows[positions[$0]] }
        }
    }
}

import Foundation
import SeeAlsoSupport

/// Balanced k-means partitions of unit vectors (an inverted file, IVF): the partitioned index scores
/// each article only against the members of the `probes` partitions whose centroids are nearest to it.
package struct Partitions: Sendable {
    /// Unit centroids, one row per partition.
    package var centroids: DenseMatrix
    /// The partition of every indexed row.
    package var partitionOfRow: [Int32]

    package var count: Int { centroids.rowCount }

    package init(centroids: DenseMatrix, partitionOfRow: [Int32]) {
        self.centroids = centroids
        self.partitionOfRow = partitionOfRow
    }

    /// Trains partitions: mini-batch spherical k-means with `partitions` clusters (batches of 4096, at
    /// most 300, one seeding), then `balance` with at most max(64, 2·n / partitions) members each, so the
    /// result may hold more partitions than asked. Deterministic for a seed.
    package static func train(_ vectors: DenseMatrix, partitions: Int, seed: UInt64) -> Partitions {
        let n = vectors.rowCount
        var configuration = SphericalKMeans.Configuration(clusterCount: partitions, restarts: 1, seed: seed)
        configuration.maxBatches = 300
        configuration.patience = 20
        configuration.seedingSampleSize = min(n, max(20 * partitions, 20_000))
        let clustering = SphericalKMeans.fitMiniBatch(.dense(vectors), configuration: configuration)
        return balance(vectors, centroids: clustering.centroids, assignments: clustering.assignments,
                       maximumSize: max(64, 2 * n / partitions), seed: seed)
    }

    /// The partition (nearest centroid, ties to the lower index) of each row of `vectors`.
    package func nearest(_ vectors: DenseMatrix) -> [Int32] {
        SphericalKMeans.assign(.dense(vectors), to: centroids).assignments
    }

    /// Splits every partition larger than `maximumSize` with spherical k-means on its members
    /// (k = ⌈size / target⌉, target = maximumSize / 2) until none is too large, so that one huge
    /// partition cannot dominate the search (its cost grows with members × probing queries).
    /// Members that k-means cannot separate (identical vectors) are cut into chunks in row order.
    static func balance(_ vectors: DenseMatrix, centroids: DenseMatrix, assignments: [Int32], maximumSize: Int,
                        seed: UInt64) -> Partitions {
        let d = vectors.columnCount
        var centroidValues = centroids.values
        var assignments = assignments
        var count = centroids.rowCount
        var pass = 0
        while pass < 6 {
            let groups = Buckets(count: count, keys: assignments)
            let oversized = (0..<count).filter { groups.size($0) > maximumSize }
            if oversized.isEmpty { break }
            for partition in oversized {
                let rows = groups.rows(partition)
                let pieces = (rows.count + maximumSize / 2 - 1) / (maximumSize / 2)
                let members = vectors.selectingRows(rows.map { Int($0) })
                var configuration = SphericalKMeans.Configuration(clusterCount: min(pieces, rows.count), restarts: 1,
                                                                  seed: seed &+ UInt64(partition) &+ UInt64(pass) << 32)
                configuration.maxIterations = 20
                let split = SphericalKMeans.fit(.dense(members), configuration: configuration)
                let largest = split.clusterSizes.max() ?? rows.count
                let labels: [Int]
                if largest >= rows.count * 9 / 10 {
                    labels = (0..<rows.count).map { $0 * pieces / rows.count }
                } else {
                    labels = split.assignments.map { Int($0) }
                }
                // Piece 0 keeps the partition's id; the others become new partitions.
                var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: pieces)
                for (position, row) in rows.enumerated() {
                    let label = labels[position]
                    assignments[Int(row)] = Int32(label == 0 ? partition : count + label - 1)
                    for column in 0..<d { sums[label][column] += Double(members[position, column]) }
                }
                for label in 0..<pieces {
                    let norm = sums[label].reduce(0) { $0 + $1 * $1 }.squareRoot()
                    let centroid = sums[label].map { Float(norm > 0 ? $0 / norm : 0) }
                    if label == 0 {
                        centroidValues.replaceSubrange(partition * d..<(partition + 1) * d, with: centroid)
                    } else {
                        centroidValues.append(contentsOf: centroid)
                    }
                }
                count += pieces - 1
            }
            pass += 1
        }
        return Partitions(centroids: DenseMatrix(rowCount: count, columnCount: d, values: centroidValues), partitionOfRow: assignments)
    }

    /// For each row of `vectors`, the `count` partitions whose centroids are nearest, by cosine descending
    /// (ties to the lower partition; the first is then `nearest`'s), row-major. With `own`, the row's own
    /// partition `own[row]` always comes first and the others follow.
    /// Cost: 2·n·P·d FLOPs (sgemm per block of rows) plus O(n·P) for the selection.
    package func probeLists(_ vectors: DenseMatrix, count: Int, own: [Int32]? = nil) -> [Int32] {
        let n = vectors.rowCount
        let partitions = centroids.rowCount
        precondition(count >= 1 && count <= partitions, "Partitions.probeLists: \(count) probes of \(partitions) partitions")
        let others = own == nil ? count : count - 1
        let first = count - others
        var result = [Int32](repeating: 0, count: n * count)
        result.withUnsafeMutableBufferPointer { output in
            let out = SharedMutablePointer(output.baseAddress!)
            VectorRows.dense(vectors).forEachScoreBlock(centroids) { rows, block in
                var best: [(score: Float, partition: Int32)] = []
                best.reserveCapacity(others + 1)
                for (position, row) in rows.enumerated() {
                    let ownPartition = own?[row] ?? -1
                    let scores = block + position * partitions
                    best.removeAll(keepingCapacity: true)
                    for partition in 0..<Int32(partitions) where others > 0 && partition != ownPartition {
                        let score = scores[Int(partition)]
                        guard best.count < others || RankOrder.precedes(score, partition, best[others - 1].score, best[others - 1].partition) else { continue }
                        // Insertion into the short sorted list of the best so far.
                        var slot = best.count
                        while slot > 0 && RankOrder.precedes(score, partition, best[slot - 1].score, best[slot - 1].partition) { slot -= 1 }
                        best.insert((score, partition), at: slot)
                        if best.count > others { best.removeLast() }
                    }
                    if own != nil { out[row * count] = ownPartition }
                    for slot in 0..<others { out[row * count + first + slot] = best[slot].partition }
                }
            }
        }
        return result
    }
}

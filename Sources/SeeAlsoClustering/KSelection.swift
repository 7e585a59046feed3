import Foundation
import SeeAlsoSimilarity
import SeeAlsoSupport

/// `--k auto`: chooses the number of topics by the mean silhouette on a sample, over a grid of k.
///
/// Criterion: for every k of the grid, spherical k-means (with `restarts` seedings) clusters all rows;
/// the silhouette (Rousseeuw 1987) with cosine distance 1 − cos is averaged over a fixed seeded sample
/// of at most `sampleSize` rows, each scored against the other sampled rows only:
/// s(i) = (b − a) / max(a, b), a = mean distance to the sampled members of its own cluster, b = the
/// smallest mean distance to the sampled members of another cluster, s(i) = 0 when i is alone in its
/// cluster within the sample (scikit-learn's convention). The k with the highest mean silhouette wins
/// (ties: the smaller k).
///
/// The silhouette rewards compact, well separated clusters: it finds k reliably on data with clear
/// groups (the planted-data test) and on real text tends to prefer fewer, broader topics.
/// Cost: one k-means per grid value plus the s×s cosine matrix of the sample (s² inner products) and
/// O(s²) per grid value.
package enum KSelection {
    package struct Configuration: Sendable {
        package var grid: [Int]
        package var sampleSize: Int
        package var restarts: Int
        package var seed: UInt64

        package init(grid: [Int] = KSelection.defaultGrid, sampleSize: Int = 3000, restarts: Int = 2, seed: UInt64 = 0) {
            self.grid = grid
            self.sampleSize = sampleSize
            self.restarts = restarts
            self.seed = seed
        }
    }

    /// 2…12, then 15, 20, 25, 30, 40, 50, 60, 80, 100.
    package static let defaultGrid = Array(2...12) + [15, 20, 25, 30, 40, 50, 60, 80, 100]

    package struct Choice: Sendable {
        package var k: Int
        /// (k, mean silhouette) for every k tried, in grid order.
        package var scores: [(k: Int, silhouette: Double)]
        /// The k-means result for the chosen k.
        package var result: SphericalKMeans.Result
    }

    package static func choose(_ rows: VectorRows, configuration: Configuration) -> Choice {
        let n = rows.count
        let grid = configuration.grid.filter { $0 >= 2 && $0 < n }.sorted()
        precondition(!grid.isEmpty, "KSelection: no k of the grid fits \(n) rows")
        var random = SplitMix64(seed: configuration.seed, stream: 0x5A3F)
        let sample = random.sampleIndices(configuration.sampleSize, from: n)
        let gram = cosineMatrix(rows.subset(sample))
        var scores: [(k: Int, silhouette: Double)] = []
        var best: (k: Int, score: Double, result: SphericalKMeans.Result)?
        for k in grid {
            let result = SphericalKMeans.fit(rows, configuration: .init(clusterCount: k, restarts: configuration.restarts,
                                                                    seed: configuration.seed))
            let labels = sample.map { Int(result.assignments[$0]) }
            let score = silhouette(gram: gram, count: sample.count, labels: labels, clusterCount: k)
            scores.append((k, score))
            if best == nil || score > best!.score { best = (k, score, result) }
        }
        return Choice(k: best!.k, scores: scores, result: best!.result)
    }

    /// Mean silhouette with distance 1 − gram[i][j], gram row-major count×count.
    static func silhouette(gram: [Float], count: Int, labels: [Int], clusterCount k: Int) -> Double {
        var counts = [Int](repeating: 0, count: k)
        for label in labels { counts[label] += 1 }
        let sizes = counts
        let values = Locked([Double](repeating: 0, count: count))
        Parallelism.forEachRange(count) { range, _ in
            var sums = [Double](repeating: 0, count: k)
            var local: [(Int, Double)] = []
            for i in range {
                for c in 0..<k { sums[c] = 0 }
                for j in 0..<count where j != i { sums[labels[j]] += Double(1 - gram[i * count + j]) }
                let own = labels[i]
                guard sizes[own] > 1 else { local.append((i, 0)); continue }
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
                let denominator = max(a, b)
                local.append((i, b.isFinite && denominator > 0 ? (b - a) / denominator : 0))
            }
            values.withLock { all in for (i, value) in local { all[i] = value } }
        }
        return values.value.reduce(0, +) / Double(max(1, count))
    }

    /// The s×s matrix of inner products of the rows. Dense rows: the k-means score blocks with the rows
    /// themselves as the centroids (sgemm); sparse rows: canonical scores, one scattered row at a time.
    static func cosineMatrix(_ rows: VectorRows) -> [Float] {
        switch rows {
        case .dense(let vectors):
            return rows.scoreMatrix(vectors)
        case .sparse(let matrix):
            let s = rows.count
            var gram = [Float](repeating: 0, count: s * s)
            gram.withUnsafeMutableBufferPointer { buffer in
                let output = SharedMutablePointer(buffer.baseAddress!)
                matrix.withIndexedRows { indexed in
                    Parallelism.forEachRange(s) { range, _ in
                        let scattered = ScatteredRow(columns: matrix.columnCount)
                        for i in range {
                            scattered.scatter(matrix, i)
                            for j in 0..<s { output[i * s + j] = scattered.dot(indexed, j) }
                            scattered.clear(matrix, i)
                        }
                    }
                }
            }
            return gram
        }
    }
}

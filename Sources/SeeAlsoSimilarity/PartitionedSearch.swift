import Foundation
import SeeAlsoBLAS
import SeeAlsoSupport

/// Approximate all-pairs search over unit vectors split into k-means partitions (an inverted
/// file, IVF): each row is compared only with the members of the `probes` partitions whose
/// centroids are nearest to it.
///
/// Work is organised by partition: the queries probing a partition are scored against its members
/// with one GEMM per block of queries, so the arithmetic stays in BLAS. Heap updates are
/// serialized per stripe of rows. Cost ≈ 2·d·n²·probes / P FLOPs for P balanced partitions.
public enum PartitionedSearch {
    /// Balanced partitions of unit vectors: mini-batch spherical k-means with `partitions` clusters
    /// (batches of 4096, at most 300), then `balance` with at most max(64, 2·n / partitions) members
    /// each. Returns the unit centroids (possibly more than `partitions` after balancing) and each
    /// row's partition. Deterministic for a seed.
    public static func partition(_ vectors: DenseMatrix, partitions: Int, seed: UInt64) -> (centroids: DenseMatrix, assignments: [Int32]) {
        let n = vectors.rowCount
        let configuration = SphericalKMeans.MiniBatchConfiguration(
            clusterCount: partitions, batchSize: 4096, maxBatches: 300, patience: 20, seed: seed,
            seedingSampleSize: min(n, max(20 * partitions, 20_000)))
        let clustering = SphericalKMeans.fitMiniBatch(vectors, configuration: configuration)
        return balance(vectors, centroids: clustering.centroids, assignments: clustering.assignments,
                       maximumSize: max(64, 2 * n / partitions), seed: seed)
    }

    /// The k best inner products of every row with the members of its `probes` nearest partitions
    /// (itself excluded), score descending then row order. Vectors should be unit length.
    public static func allPairs(_ vectors: DenseMatrix, centroids: DenseMatrix, assignments: [Int32], probes: Int, k: Int,
                                progress: ProgressReporter?) -> NeighborLists {
        BLAS.setThreads(1)
        let n = vectors.rowCount
        let d = vectors.columnCount
        let partitions = centroids.rowCount
        let probeLists = nearestCentroids(vectors, centroids: centroids, count: probes, own: assignments)
        // Members of each partition, and the queries that probe it (both in increasing row order).
        let members = buckets(count: partitions, of: (0..<n).map { (Int(assignments[$0]), Int32($0)) })
        var probing: [(Int, Int32)] = []
        probing.reserveCapacity(n * probes)
        for row in 0..<n {
            for slot in row * probes..<(row + 1) * probes { probing.append((Int(probeLists[slot]), Int32(row))) }
        }
        let queries = buckets(count: partitions, of: probing)
        let heaps = TopKHeaps(rowCount: n, k: k, floor: -.infinity)
        let stripeSize = 256
        let locks = (0..<(n + stripeSize - 1) / stripeSize).map { _ in NSLock() }
        let queryBlock = 256
        // Largest partitions first for load balance.
        let order = (0..<partitions).sorted { members.size($0) * queries.size($0) > members.size($1) * queries.size($1) }
        vectors.values.withUnsafeBufferPointer { values in
            let base = SharedPointer(values.baseAddress!)
            Parallelism.forEachDynamic(partitions) { item, _ in
                let partition = order[item]
                let memberRows = members.rows(partition)
                let queryRows = queries.rows(partition)
                guard !memberRows.isEmpty, !queryRows.isEmpty else { progress?.advance(); return }
                let memberVectors = gather(base.base, rows: memberRows, dimension: d)
                var queryVectors = [Float](repeating: 0, count: queryBlock * d)
                var scores = [Float](repeating: 0, count: queryBlock * memberRows.count)
                var blockStart = 0
                while blockStart < queryRows.count {
                    let block = queryRows[blockStart..<min(queryRows.count, blockStart + queryBlock)]
                    for (position, row) in block.enumerated() {
                        for column in 0..<d { queryVectors[position * d + column] = base[Int(row) * d + column] }
                    }
                    BLAS.sgemm(transposeB: true, m: block.count, n: memberRows.count, k: d, a: queryVectors, lda: d,
                               b: memberVectors, ldb: d, c: &scores, ldc: memberRows.count)
                    for (position, row) in block.enumerated() {
                        let query = Int(row)
                        locks[query / stripeSize].withLock {
                            scores.withUnsafeBufferPointer { scores in
                                offer(scores.baseAddress! + position * memberRows.count, ids: memberRows, row: query, heaps: heaps)
                            }
                        }
                    }
                    blockStart += queryBlock
                }
                progress?.advance()
            }
        }
        return heaps.lists()
    }

    /// Splits every partition larger than `maximumSize` with spherical k-means on its members
    /// (k = ⌈size / target⌉, target = maximumSize / 2) until none is too large, so that one huge
    /// partition cannot dominate the search (its cost grows with members × probing queries).
    /// Members that k-means cannot separate (identical vectors) are cut into chunks in row order.
    static func balance(_ vectors: DenseMatrix, centroids: DenseMatrix, assignments: [Int32], maximumSize: Int,
                        seed: UInt64) -> (centroids: DenseMatrix, assignments: [Int32]) {
        let d = vectors.columnCount
        var centroidValues = centroids.values
        var assignments = assignments
        var count = centroids.rowCount
        var pass = 0
        while pass < 6 {
            let groups = buckets(count: count, of: (0..<assignments.count).map { (Int(assignments[$0]), Int32($0)) })
            let oversized = (0..<count).filter { groups.size($0) > maximumSize }
            if oversized.isEmpty { break }
            for partition in oversized {
                let rows = groups.rows(partition)
                let pieces = (rows.count + maximumSize / 2 - 1) / (maximumSize / 2)
                var members = DenseMatrix(rowCount: rows.count, columnCount: d)
                for (position, row) in rows.enumerated() {
                    for column in 0..<d { members[position, column] = vectors[Int(row), column] }
                }
                let split = SphericalKMeans.fit(members, configuration: .init(clusterCount: min(pieces, rows.count), maxIterations: 20,
                                                                              seed: seed &+ UInt64(partition) &+ UInt64(pass) << 32))
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
        return (DenseMatrix(rowCount: count, columnCount: d, values: centroidValues), assignments)
    }

    /// Offers a row of scores (one per member) to `row`'s heap, skipping the row itself.
    private static func offer(_ scores: UnsafePointer<Float>, ids: [Int32], row: Int, heaps: TopKHeaps) {
        var threshold = heaps.threshold(row)
        for index in 0..<ids.count where scores[index] >= threshold {
            let id = ids[index]
            guard Int(id) != row else { continue }
            heaps.push(row: row, id: id, score: scores[index])
            threshold = heaps.threshold(row)
        }
    }

    /// For each row, the `count` nearest centroids (its own partition always first).
    static func nearestCentroids(_ vectors: DenseMatrix, centroids: DenseMatrix, count: Int, own: [Int32]) -> [Int32] {
        let n = vectors.rowCount
        let d = vectors.columnCount
        let partitions = centroids.rowCount
        var result = [Int32](repeating: 0, count: n * count)
        let block = 1024
        result.withUnsafeMutableBufferPointer { output in
            let out = SharedMutablePointer(output.baseAddress!)
            vectors.values.withUnsafeBufferPointer { values in
                centroids.values.withUnsafeBufferPointer { centroidValues in
                    let base = SharedPointer(values.baseAddress!)
                    let centroidBase = SharedPointer(centroidValues.baseAddress!)
                    Parallelism.forEachDynamic((n + block - 1) / block) { blockIndex, _ in
                        let rows = blockIndex * block..<min(n, (blockIndex + 1) * block)
                        var scores = [Float](repeating: 0, count: rows.count * partitions)
                        BLAS.sgemm(transposeB: true, m: rows.count, n: partitions, k: d, a: base.base + rows.lowerBound * d, lda: d,
                                   b: centroidBase.base, ldb: d, c: &scores, ldc: partitions)
                        for (position, row) in rows.enumerated() {
                            let ownPartition = Int(own[row])
                            var best: [(score: Float, partition: Int32)] = []
                            for partition in 0..<partitions where partition != ownPartition {
                                best.append((scores[position * partitions + partition], Int32(partition)))
                            }
                            best.sort { $0.score != $1.score ? $0.score > $1.score : $0.partition < $1.partition }
                            out[row * count] = Int32(ownPartition)
                            for slot in 1..<max(1, count) { out[row * count + slot] = best[slot - 1].partition }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Rows grouped by key, each group in increasing row order (a counting sort).
    struct Buckets {
        let starts: [Int]
        let items: [Int32]
        func rows(_ key: Int) -> [Int32] { Array(items[starts[key]..<starts[key + 1]]) }
        func size(_ key: Int) -> Int { starts[key + 1] - starts[key] }
    }

    static func buckets(count: Int, of pairs: [(Int, Int32)]) -> Buckets {
        var starts = [Int](repeating: 0, count: count + 1)
        for (key, _) in pairs { starts[key + 1] += 1 }
        for key in 0..<count { starts[key + 1] += starts[key] }
        var next = starts
        var items = [Int32](repeating: 0, count: pairs.count)
        for (key, row) in pairs {
            items[next[key]] = row
            next[key] += 1
        }
        return Buckets(starts: starts, items: items)
    }

    private static func gather(_ base: UnsafePointer<Float>, rows: [Int32], dimension d: Int) -> [Float] {
        var result = [Float](repeating: 0, count: rows.count * d)
        result.withUnsafeMutableBufferPointer { output in
            for (position, row) in rows.enumerated() {
                (output.baseAddress! + position * d).update(from: base + Int(row) * d, count: d)
            }
        }
        return result
    }
}

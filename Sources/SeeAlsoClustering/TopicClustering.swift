import Foundation
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// Topic clustering of an archive's TF-IDF rows: choose the representation, k and the algorithm, run
/// spherical k-means, optionally refine on the TF-IDF rows.
///
/// Defaults (chosen on 20 Newsgroups and Reuters, see the README of `seealso cluster`): LSA with 50
/// dimensions (RandomizedSVD, rows renormalised), 5 restarts of k-means++ + Lloyd, then spherical k-means
/// on the TF-IDF rows started from the LSA clusters (`refineOnTfidf`). The reduced space finds a good
/// coarse partition cheaply; the refinement recovers what the 50 dimensions blur.
public enum TopicClustering {
    public enum Method: String, Sendable, CaseIterable {
        /// Lloyd iterations with restarts.
        case kmeans
        /// Mini-batch updates, for very large archives.
        case minibatch
    }

    public enum Representation: String, Sendable, CaseIterable {
        /// The sparse TF-IDF rows.
        case tfidf
        /// Latent semantic analysis: rows projected on the top right singular vectors, renormalised.
        case lsa
    }

    public struct Options: Sendable {
        public var method: Method = .kmeans
        /// nil: chosen by `KSelection` (silhouette over a grid).
        public var clusterCount: Int? = 20
        public var representation: Representation = .lsa
        public var lsaDimensions = 50
        /// Rows the SVD is fitted on (nil: all; large archives fit on a hashed sample).
        public var lsaSampleFraction: Double? = nil
        public var restarts = 5
        public var maxIterations = 100
        public var seed: UInt64 = 0
        /// After clustering reduced vectors, run spherical k-means on the TF-IDF rows from that partition.
        public var refineOnTfidf = true
        public var batchSize = 4096
        public var maxBatches = 500
        package var kSelection = KSelection.Configuration()
        /// When set (≥ 2): k-means makes factor·k micro-clusters, merged by average linkage down to k
        /// (no refinement): the topics may then differ greatly in size, as real topic mixes do.
        public var overclusterFactor: Int? = nil
        public init() {}
    }

    package struct Outcome: Sendable {
        package var assignments: [Int32]
        package var clusterCount: Int
        package var objective: Double
        package var restartObjectives: [Double]
        package var iterations: Int
        /// Objective on the TF-IDF rows after refinement (nil when not refined).
        package var refinedObjective: Double?
        /// Silhouette per k when k was chosen automatically.
        package var kScores: [(k: Int, silhouette: Double)]?
        /// The reduced vectors (LSA), when computed (for --export-vectors).
        package var reducedVectors: DenseMatrix?
        /// Seconds per stage ("lsa", "kselect", "kmeans", "refine").
        package var seconds: [String: Double]
        /// A one-line description, e.g. "kmeans k=20 restarts=5 seed=0 on lsa-50, refined on tfidf".
        package var method: String
    }

    /// Clusters `matrix`'s rows into topics numbered by size, largest first (`ClusterNumbering`).
    package static func run(_ matrix: CSRMatrix, options: Options) throws -> Outcome {
        var outcome = try cluster(matrix, options: options)
        outcome.assignments = ClusterNumbering.bySize(outcome.assignments, clusterCount: outcome.clusterCount)
        return outcome
    }

    private static func cluster(_ matrix: CSRMatrix, options: Options) throws -> Outcome {
        var seconds: [String: Double] = [:]
        var clock = Stopwatch()
        let rows: VectorRows
        var reduced: DenseMatrix? = nil
        var description = ""
        switch options.representation {
        case .tfidf:
            rows = .sparse(matrix)
            description = "tfidf"
        case .lsa:
            let rank = max(1, min(options.lsaDimensions, matrix.rowCount, matrix.columnCount))
            let sample: RandomizedSVD.RowSample = options.lsaSampleFraction.map { .hashed(fraction: $0, seed: options.seed) } ?? .all
            let svd = try RandomizedSVD.fit(matrix, rank: rank, seed: options.seed, sample: sample)
            let projected = svd.project(matrix)
            reduced = projected
            rows = .dense(projected)
            description = "lsa-\(rank)"
            seconds["lsa"] = clock.seconds
            clock = Stopwatch()
        }

        /// k-means with `count` clusters by the chosen method.
        func kMeans(_ count: Int) -> SphericalKMeans.Result {
            var configuration = SphericalKMeans.Configuration(clusterCount: count, restarts: options.restarts, seed: options.seed)
            configuration.maxIterations = options.maxIterations
            configuration.batchSize = options.batchSize
            configuration.maxBatches = options.maxBatches
            return options.method == .kmeans ? SphericalKMeans.fit(rows, configuration: configuration)
                : SphericalKMeans.fitMiniBatch(rows, configuration: configuration)
        }
        var kScores: [(k: Int, silhouette: Double)]? = nil
        var result: SphericalKMeans.Result
        let k: Int
        if let requested = options.clusterCount {
            k = min(requested, rows.count)
            precondition(k >= 1, "TopicClustering: no rows to cluster")
            result = kMeans(k)
            seconds["kmeans"] = clock.seconds
        } else {
            var selection = options.kSelection
            selection.seed = options.seed
            let choice = KSelection.choose(rows, configuration: selection)
            k = choice.k
            kScores = choice.scores
            result = choice.result
            seconds["kselect"] = clock.seconds
        }
        clock = Stopwatch()
        if let factor = options.overclusterFactor, factor >= 2, options.clusterCount != nil {
            let micro = min(rows.count, factor * k)
            let fine = kMeans(micro)
            let merged = mergeByAverageLinkage(rows, assignments: fine.assignments, clusterCount: micro, target: k)
            seconds["kmeans"] = (seconds["kmeans"] ?? 0) + clock.seconds
            return Outcome(assignments: merged, clusterCount: k, objective: fine.objective,
                           restartObjectives: fine.restartObjectives, iterations: fine.iterations, refinedObjective: nil,
                           kScores: nil, reducedVectors: reduced, seconds: seconds,
                           method: "\(options.method.rawValue) k=\(micro) restarts=\(options.restarts) seed=\(options.seed) on \(description), "
                               + "merged by average linkage to k=\(k)")
        }
        var method = "\(options.method.rawValue) k=\(k)\(options.clusterCount == nil ? " (auto: silhouette)" : "") "
            + "restarts=\(options.restarts) seed=\(options.seed) on \(description)"
        var refined: Double? = nil
        var assignments = result.assignments
        if options.representation == .lsa && options.refineOnTfidf {
            let refinement = SphericalKMeans.refine(.sparse(matrix), assignments: assignments, clusterCount: k,
                                                maxIterations: options.maxIterations)
            assignments = refinement.assignments
            refined = refinement.objective
            method += ", refined on tfidf"
            seconds["refine"] = clock.seconds
        }
        return Outcome(assignments: assignments, clusterCount: k, objective: result.objective,
                       restartObjectives: result.restartObjectives, iterations: result.iterations,
                       refinedObjective: refined, kScores: kScores, reducedVectors: reduced, seconds: seconds,
                       method: method)
    }

    /// Merges clusters greedily by average linkage (exact mean cross cosine from member sums, all pairs)
    /// until `target` remain; returns assignments renumbered 0..<target by first appearance.
    /// Cost O(m²·d) for m clusters of dimension d (dense) plus O(n·d) for the sums.
    package static func mergeByAverageLinkage(_ rows: VectorRows, assignments: [Int32], clusterCount m: Int,
                                             target: Int) -> [Int32] {
        guard m > target else { return assignments }
        let d = rows.dimension
        var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: m)
        var sizes = [Int](repeating: 0, count: m)
        var vector = [Float](repeating: 0, count: d)
        for (row, cluster) in assignments.enumerated() where cluster >= 0 {
            vector.withUnsafeMutableBufferPointer { rows.copyRow(row, into: $0.baseAddress!) }
            for j in 0..<d { sums[Int(cluster)][j] += Double(vector[j]) }
            sizes[Int(cluster)] += 1
        }
        var alive = (0..<m).map { sizes[$0] > 0 }
        var parent = Array(0..<m)
        func linkage(_ a: Int, _ b: Int) -> Double {
            var dot = 0.0
            for j in 0..<d { dot += sums[a][j] * sums[b][j] }
            return dot / Double(sizes[a] * sizes[b])
        }
        var score = [[Double]](repeating: [Double](repeating: -.infinity, count: m), count: m)
        for a in 0..<m where alive[a] { for b in (a + 1)..<max(a + 1, m) where alive[b] { score[a][b] = linkage(a, b) } }
        var remaining = alive.filter { $0 }.count
        while remaining > target {
            var best = (-Double.infinity, 0, 0)
            for a in 0..<m where alive[a] {
                for b in (a + 1)..<max(a + 1, m) where alive[b] && score[a][b] > best.0 { best = (score[a][b], a, b) }
            }
            let (_, a, b) = best
            guard a != b else { break }
            for j in 0..<d { sums[a][j] += sums[b][j] }
            sizes[a] += sizes[b]
            alive[b] = false
            parent[b] = a
            remaining -= 1
            for c in 0..<m where alive[c] && c != a {
                let value = linkage(a, c)
                if c < a { score[c][a] = value } else { score[a][c] = value }
            }
        }
        func root(_ cluster: Int) -> Int {
            var current = cluster
            while parent[current] != current { current = parent[current] }
            return current
        }
        var numbering: [Int: Int32] = [:]
        return assignments.map { cluster in
            guard cluster >= 0 else { return -1 }
            let top = root(Int(cluster))
            if let known = numbering[top] { return known }
            let next = Int32(numbering.count)
            numbering[top] = next
            return next
        }
    }
}

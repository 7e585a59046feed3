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
        public var kSelection = KSelection.Configuration()
        public init() {}
    }

    public struct Outcome: Sendable {
        public var assignments: [Int32]
        public var clusterCount: Int
        public var objective: Double
        public var restartObjectives: [Double]
        public var iterations: Int
        /// Objective on the TF-IDF rows after refinement (nil when not refined).
        public var refinedObjective: Double?
        /// Silhouette per k when k was chosen automatically.
        public var kScores: [(k: Int, silhouette: Double)]?
        /// The reduced vectors (LSA), when computed (for --export-vectors).
        public var reducedVectors: DenseMatrix?
        /// Seconds per stage ("lsa", "kselect", "kmeans", "refine").
        public var seconds: [String: Double]
        /// A one-line description, e.g. "kmeans k=20 restarts=5 seed=0 on lsa-50, refined on tfidf".
        public var method: String
    }

    public static func run(_ matrix: CSRMatrix, options: Options) throws -> Outcome {
        var seconds: [String: Double] = [:]
        var clock = Stopwatch()
        let rows: ClusterRows
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

        var kScores: [(k: Int, silhouette: Double)]? = nil
        var result: TopicKMeans.Result
        let k: Int
        if let requested = options.clusterCount {
            k = min(requested, rows.count)
            precondition(k >= 1, "TopicClustering: no rows to cluster")
            switch options.method {
            case .kmeans:
                result = TopicKMeans.fit(rows, configuration: .init(clusterCount: k, restarts: options.restarts,
                                                                    maxIterations: options.maxIterations, seed: options.seed))
            case .minibatch:
                result = TopicKMeans.fitMiniBatch(rows, configuration: .init(
                    clusterCount: k, batchSize: options.batchSize, maxBatches: options.maxBatches,
                    restarts: options.restarts, seed: options.seed))
            }
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
        var method = "\(options.method.rawValue) k=\(k)\(options.clusterCount == nil ? " (auto: silhouette)" : "") "
            + "restarts=\(options.restarts) seed=\(options.seed) on \(description)"
        var refined: Double? = nil
        var assignments = result.assignments
        if options.representation == .lsa && options.refineOnTfidf {
            let refinement = TopicKMeans.refine(.sparse(matrix), assignments: assignments, clusterCount: k,
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
}

import SeeAlsoVectorize

/// Settings of the partitioned index (`seealso build --method partitioned`, and `dense` through
/// `candidates = .exhaustive`). The defaults gave recall@10 0.967 on a 1M-article synthetic archive
/// (Benchmarks/RESULTS.md).
public struct PartitionedOptions: Sendable, Equatable, Codable {
    public var k = 20
    /// LSA dimensions d.
    public var dimensions = 128
    /// Rows the SVD is fitted on (a hashed sample when the archive is larger).
    public var svdSampleRows = 100_000
    public var candidates = CandidateSource.partitions(count: nil, probes: 24)
    /// Candidates kept per row from the partitions (or the reduced vectors).
    public var candidatesPerRow = 40
    public var votes = Votes()
    /// Rounds of neighbourhood refinement (0: off); each reads the `refineFanout` best neighbours of
    /// a row's `refineFanout` best neighbours, and the rows that list it.
    public var refineRounds = 1
    public var refineFanout = 20
    public var seed: UInt64 = 0
    public init(k: Int = 20) { self.k = k }

    /// List width kept until the end: refinement reads `refineFanout` neighbours of each list.
    var width: Int { width(for: k) }
    func width(for k: Int) -> Int { refineRounds > 0 ? max(k, refineFanout) : k }

    /// Where neighbourhood candidates come from.
    public enum CandidateSource: Sendable, Equatable, Codable {
        /// k-means partitions (nil: about n / 1000, at least 16), each row probing the `probes` nearest.
        case partitions(count: Int?, probes: Int)
        /// Every pair of reduced vectors (quadratic; for comparisons and mid-size archives).
        case exhaustive
    }

    /// Rare-term votes: a row's `terms` heaviest terms in at most `maxDocuments` rows each vote, reading
    /// at most `budget` postings, for the rows sharing them; the `keep` best join the candidates.
    public struct Votes: Sendable, Equatable, Codable {
        public var terms = 40
        public var keep = 60
        public var maxDocuments = 3000
        public var budget = 5000
        public init() {}
    }
}

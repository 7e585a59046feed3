import SeeAlsoVectorize

/// Settings of the partitioned index (`seealso build --method partitioned`, and `dense` through
/// `candidates = .exhaustive`). The defaults gave recall@10 0.968 on a 1M-article synthetic archive and,
/// sized for 5M articles (40 probes, 2 refinement rounds), 0.956 on a 5M one (Benchmarks/RESULTS.md).
public struct PartitionedOptions: Sendable, Equatable, Codable {
    public var k = 20
    /// LSA dimensions d.
    public var dimensions = 128
    /// Rows the SVD is fitted on (a hashed sample when the archive is larger).
    public var svdSampleRows = 100_000
    public var candidates = CandidateSource.partitions(count: nil, probes: nil)
    /// Candidates kept per row from the partitions (or the reduced vectors).
    public var candidatesPerRow = 40
    public var votes = Votes()
    /// Rounds of neighbourhood refinement (0: off; nil: sized by `sized(forRows:)`); each reads the
    /// `refineFanout` best neighbours of a row's `refineFanout` best neighbours, and the rows that list it.
    public var refineRounds: Int?
    public var refineFanout = 20
    public var seed: UInt64 = 0
    public init(k: Int = 20) { self.k = k }

    /// List width kept until the end: refinement reads `refineFanout` neighbours of each list.
    func width(for k: Int) -> Int { refineRounds != 0 ? max(k, refineFanout) : k }

    /// These settings with what was left unset (nil) sized for an archive of `n` rows
    /// (`probes(forRows:)`, `rounds(forRows:)`); a build stores the sized settings in its index.
    public func sized(forRows n: Int) -> PartitionedOptions {
        var sized = self
        if case .partitions(let count, _) = candidates { sized.candidates = .partitions(count: count, probes: probes(forRows: n)) }
        sized.refineRounds = rounds(forRows: n)
        return sized
    }

    /// The partitions each row probes (nil for `.exhaustive`); unset: max(24, 8 per million rows).
    /// There are about n / 1,000 partitions, so a fixed number of probes reads a shrinking share of a
    /// growing archive (24 probes: recall@10 0.968 at 1M, 0.928 at 5M). 40 probes and 2 rounds gave 0.956
    /// at 5M; 8 probes and 2 rounds on a 1M archive, the share these defaults read at 3M–5M, gave 0.966
    /// (Benchmarks/RESULTS.md). The exact partition scores cost about n · probes · (rows per partition)
    /// sparse dot products.
    public func probes(forRows n: Int) -> Int? {
        guard case .partitions(_, let probes) = candidates else { return nil }
        return probes ?? max(24, 8 * n / 1_000_000)
    }

    /// Refinement rounds; unset: 1, and 2 above 1.5M rows, where 24 probes read a smaller share: on a 1M
    /// archive, 16 probes (the share 24 read at 1.5M) with 1 round gave recall@10 0.967, 5 probes 0.930.
    public func rounds(forRows n: Int) -> Int { refineRounds ?? (n > 1_500_000 ? 2 : 1) }

    /// Where neighbourhood candidates come from.
    public enum CandidateSource: Sendable, Equatable, Codable {
        /// k-means partitions (nil: about n / 1000, at least 16), each row probing the `probes` nearest
        /// (nil: sized by `sized(forRows:)`).
        case partitions(count: Int?, probes: Int?)
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

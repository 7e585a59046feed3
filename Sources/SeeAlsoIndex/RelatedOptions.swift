import Foundation

/// How a "See also" list is chosen from similarity scores. Defaults suit news pages; see README.
public struct RelatedOptions: Sendable {
    public enum Direction: String, Sendable, CaseIterable {
        /// Only articles published before (or at) the query's date: what a page can show when it is published.
        case before
        /// Only articles published after (or at) the query's date: follow-ups.
        case after
        /// Any date.
        case any
    }

    /// Items in the list.
    public var k = 5
    /// Lowest cosine similarity an item may have.
    public var minScore: Float = 0.1
    public var direction: Direction = .any
    /// Only items within this many seconds of the query's date (nil: no window).
    public var withinSeconds: Int64?
    /// Time decay: the ranking score is cosine · 0.5^(|Δt| / halfLife) (nil: no decay).
    public var halfLifeSeconds: Int64?
    /// Items at cosine ≥ this to the query are copies of it and are left out; items at cosine ≥
    /// this to a higher-ranked item fold into it, keeping the earliest. 1.01 turns folding off.
    public var duplicateThreshold: Float = 0.8
    /// Maximal marginal relevance: λ·score − (1 − λ)·max cosine to the items already chosen.
    /// 1 = rank by score alone.
    public var mmrLambda: Float = 1
    public var excludedIds: Set<String> = []
    /// Include and exclude filters on labels, languages and taxonomy fields (all must pass; see `FieldFilter`).
    public var filters: [FieldFilter] = []
    /// Terms to explain each item with (0 = no explanation).
    public var explainTerms = 0
    /// How many of the best-scoring candidates the folding and MMR steps look at.
    public var candidatePool = 100

    public init() {}

    /// The largest `k` and `explainTerms` a query may ask for.
    public static let maximumK = 1_000
    public static let maximumExplainTerms = 100

    /// Whether the options place items relative to the query's date (a direction or a window): an
    /// undated query cannot be answered with them.
    public var needsQueryDate: Bool { direction != .any || withinSeconds != nil }

    /// Throws `IndexError.invalid` naming the first option out of range (NaN included): k in
    /// 1…`maximumK`, minScore in [−1, 1], duplicateThreshold ≥ 0, mmrLambda in [0, 1], explainTerms in
    /// 0…`maximumExplainTerms`, candidatePool ≥ 1, within ≥ 0, halfLife > 0.
    public func validate() throws {
        func check(_ holds: Bool, _ name: String, _ value: Any, _ expected: String) throws {
            let option = "--" + name.replacingOccurrences(of: "_", with: "-")
            guard holds else { throw IndexError.invalid("\(name) (\(option)) must be \(expected), got \(value)") }
        }
        try check((1...Self.maximumK).contains(k), "k", k, "between 1 and \(Self.maximumK)")
        try check(minScore.isFinite && (-1...1).contains(minScore), "min_score", minScore, "a number in [-1, 1]")
        try check(duplicateThreshold.isFinite && duplicateThreshold >= 0, "duplicate_threshold", duplicateThreshold,
                  "a number ≥ 0 (above 1 folds nothing)")
        try check(mmrLambda.isFinite && (0...1).contains(mmrLambda), "mmr_lambda", mmrLambda, "a number in [0, 1]")
        try check((0...Self.maximumExplainTerms).contains(explainTerms), "explain", explainTerms, "between 0 and \(Self.maximumExplainTerms)")
        try check(candidatePool >= 1, "candidate_pool", candidatePool, "at least 1")
        try check((withinSeconds ?? 0) >= 0, "within", withinSeconds ?? 0, "a duration ≥ 0")
        try check((halfLifeSeconds ?? 1) > 0, "half_life", halfLifeSeconds ?? 0, "longer than 0 s")
    }

    /// Parses a duration such as `365d`, `12h`, `2w`, `90m` or `3600s` (a bare number is days).
    package static func parseDuration(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("w", 7 * 86_400), ("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        // Up to about 290 billion years: far beyond any archive, and inside Int64.
        func seconds(_ number: Substring, _ unit: Double) -> Int64? {
            // Decimal digits with at most one point: Double alone would also read "0x10" (16) or "1e3".
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number), value.isFinite, value >= 0, value * unit < 9e18 else { return nil }
            return Int64(value * unit)
        }
        for (suffix, unit) in units where trimmed.hasSuffix(suffix) {
            if let value = seconds(trimmed.dropLast(suffix.count), unit) { return value }
        }
        if let value = seconds(trimmed[...], 86_400) { return value }
        throw IndexError.invalid("invalid duration '\(text)': use a number with a unit, e.g. 365d, 12h, 2w")
    }

    /// A duration in the largest of days, hours, minutes and seconds that counts it exactly ("7d", "36h",
    /// "90m", "45s"): `parseDuration` reads it back to the same seconds.
    package static func durationText(_ seconds: Int64) -> String {
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3600), ("m", 60)]
        for (suffix, unit) in units where seconds % unit == 0 { return "\(seconds / unit)\(suffix)" }
        return "\(seconds)s"
    }
}

/// One item of a "See also" list.
package struct RelatedItem: Sendable {
    package var row: Int
    /// Cosine similarity to the query.
    package var similarity: Float
    /// The ranking score (similarity with time decay).
    package var score: Float
    /// Near-duplicates folded into this item (rows), later copies of the same story.
    package var folded: [Int] = []
    /// The shared terms that contribute most to the similarity: (term, q_t · d_t), largest first.
    package var explanation: [(term: String, contribution: Float)] = []
}

/// A whole answer: the list, plus what was left out as copies of the query.
package struct RelatedResult: Sendable {
    package var items: [RelatedItem]
    /// Rows that are near-copies of the query itself (cosine ≥ duplicate threshold).
    package var copiesOfQuery: [Int]
}

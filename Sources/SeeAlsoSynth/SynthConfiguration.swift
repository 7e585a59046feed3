/// What `SyntheticArchive` generates. The first group are the CLI's options; the rest are the
/// model's tuning knobs, set so that exact TF-IDF neighbours behave roughly like a real news
/// archive: measured with `scripts/synth/realism.py` (scikit-learn, sublinear tf, English stop
/// words), seed 1 gives event P@1 ≈ 0.90 at 10k articles and ≈ 0.87 at 100k, label P@10 ≈ 0.94 / 0.90
/// (random neighbours: 0.05), with about 6 % of articles having a near-duplicate (cosine ≥ 0.9).
///
/// Token mix of a body, on average: 80 % background (of which about two thirds are the real
/// English words at the head of the Zipf law, so ~47 % of tokens are stop words), 10 % topic,
/// 10 % story; among the words left after stop-word removal that is roughly 60 / 20 / 20.
package struct SynthConfiguration: Sendable, Equatable {
    /// Articles to write, duplicates included (exact).
    package var articles: Int
    /// Seed of every random choice; equal seeds (and equal settings) give byte-identical files.
    package var seed: UInt64
    /// Number of topics (gold `label`s). The first 24 have news-desk names, further ones are generated.
    package var topics = 24
    /// First calendar year of the archive (UTC); articles are dated from its 1 January …
    package var startYear = 2015
    /// … for this many years (the last date is before 1 January of `startYear + years`).
    package var years = 10
    /// Share of the output that is syndicated near-duplicate copies of another article.
    package var duplicateRate = 0.03
    /// zlib level for `.gz` output.
    package var gzipLevel = 1

    // MARK: Vocabulary

    /// Distinct background words (function words included).
    package var vocabularySize = 40_000
    /// Zipf exponent of the background vocabulary.
    package var zipfExponent = 1.1
    /// Words in each topic's boosted sub-vocabulary.
    package var topicVocabularySize = 1000
    /// Share of a topic's words borrowed from the two next topics (related desks overlap).
    package var topicBorrowShare = 0.5

    // MARK: Stories

    /// Share of articles that are singletons (a story of their own).
    package var singletonShare = 0.12
    /// Tail exponent of story sizes: P(size ≥ s) = (s / 2)^-exponent for non-singleton stories.
    package var storySizeTailExponent = 1.5
    /// Upper bound on a story's size (originals; the planner also caps it at articles / 10).
    package var maxStorySize = 1_000
    /// Chance that a story continues an earlier story of its topic, inheriting some of its entities.
    package var followUpChance = 0.3
    /// Share of the earlier story's entities and keywords a follow-up takes over.
    package var inheritShare = 0.6

    // MARK: Article text

    /// Median body length in words (log-normal, clamped to 120…600).
    package var medianBodyWords = 280.0
    /// Mean shares of body words drawn from the topic and from the story; the rest is background.
    package var topicShare = 0.10
    package var storyShare = 0.10
    /// Chance that an article uses each of its story's items (the main one always).
    package var itemUseChance = 0.5
    /// Chance that an article mentions its story only in passing, with its story share scaled by the factor.
    package var passingMentionChance = 0.15
    package var passingMentionFactor = 0.15
    /// Chance that an article also covers another story running at the same time (a round-up).
    package var roundUpChance = 0.08

    package init(articles: Int, seed: UInt64) {
        self.articles = articles
        self.seed = seed
    }

    /// Throws a readable message for settings outside their domain.
    package func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw SynthError(message) }
        }
        try check(articles >= 1, "--articles must be at least 1")
        try check(articles <= 1_000_000_000, "--articles must be at most 1e9")
        try check(topics >= 1 && topics <= 1000, "--topics must be in 1…1000")
        try check(years >= 1 && years <= 200, "--years must be in 1…200")
        try check(startYear >= 1900 && startYear + years <= 2300, "--start-year must be in 1900…2300 (with --years)")
        try check(duplicateRate >= 0 && duplicateRate <= 0.5, "--duplicate-rate must be in 0…0.5")
        try check((1...9).contains(gzipLevel), "gzip level must be in 1…9")
        try check(vocabularySize >= 2_000 && vocabularySize <= 1_000_000, "vocabulary size must be in 2000…1e6")
        try check(zipfExponent > 0.5 && zipfExponent < 2, "Zipf exponent must be in (0.5, 2)")
        try check(topicVocabularySize >= 50 && topicVocabularySize * 4 <= vocabularySize, "topic vocabulary must be 50 … vocabulary/4")
        try check(singletonShare >= 0 && singletonShare <= 1, "singleton share must be in 0…1")
        try check(storySizeTailExponent > 0.5 && storySizeTailExponent < 5, "story size exponent must be in (0.5, 5)")
        try check(maxStorySize >= 2, "max story size must be at least 2")
        try check(followUpChance >= 0 && followUpChance <= 1, "follow-up chance must be in 0…1")
        try check(inheritShare >= 0 && inheritShare <= 1, "inherit share must be in 0…1")
        try check(topicBorrowShare >= 0 && topicBorrowShare <= 0.9, "topic borrow share must be in 0…0.9")
        try check(itemUseChance > 0 && itemUseChance <= 1, "item use chance must be in (0, 1]")
        try check(passingMentionChance >= 0 && passingMentionChance <= 1, "passing mention chance must be in 0…1")
        try check(passingMentionFactor >= 0 && passingMentionFactor <= 1, "passing mention factor must be in 0…1")
        try check(roundUpChance >= 0 && roundUpChance <= 1, "round-up chance must be in 0…1")
        try check(medianBodyWords >= 20 && medianBodyWords <= 5000, "median body words must be in 20…5000")
        try check(topicShare >= 0 && storyShare >= 0 && topicShare + storyShare <= 0.9, "topic + story shares must be ≤ 0.9")
    }
}

/// A configuration error.
package struct SynthError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}

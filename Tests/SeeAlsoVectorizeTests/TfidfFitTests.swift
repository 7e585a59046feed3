import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoSupport
import SeeAlsoVectorize
import SeeAlsoTestSupport

/// Fitting beyond scikit-learn parity: title weight, in-memory input, determinism across threads.
@Suite(.serialized) struct TfidfFitTests {
    /// Raw term frequencies: no idf, no normalization.
    static var rawCounts: TfidfConfiguration {
        var configuration = TfidfConfiguration.scikitLearn
        configuration.norm = .none
        configuration.useIDF = false
        return configuration
    }

    /// The row of `fit` for document `row` as term → value.
    static func row(_ fit: TfidfFit, _ row: Int) -> [String: Float] {
        let (columns, values) = fit.matrix.row(row)
        return Dictionary(uniqueKeysWithValues: zip(columns, values).map { (fit.model.vocabulary[Int($0)], $1) })
    }

    @Test func titleWeightMultipliesTitleOccurrences() throws {
        var configuration = Self.rawCounts
        configuration.titleWeight = 2
        let articles = [Article(id: "a", title: "Alpha beta", body: "beta gamma gamma"), Article(id: "b", body: "gamma delta")]
        let fit = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
        #expect(fit.model.vocabulary == ["alpha", "beta", "delta", "gamma"])
        // alpha: title only → 2; beta: title (2) + body (1); gamma: body only.
        #expect(Self.row(fit, 0) == ["alpha": 2, "beta": 3, "gamma": 2])
        #expect(Self.row(fit, 1) == ["gamma": 1, "delta": 1])
        #expect(fit.matrix.isValid())

        configuration.titleWeight = 1
        let plain = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
        #expect(Self.row(plain, 0) == ["alpha": 1, "beta": 2, "gamma": 2])
    }

    @Test func titleWeightWithBigrams() throws {
        var configuration = Self.rawCounts
        configuration.titleWeight = 2
        configuration.analyzer.ngramMax = 2
        let fit = try TfidfVectorizer.fit(articles: [Article(id: "a", title: "Alpha beta", body: "beta gamma gamma")],
                                          configuration: configuration)
        // N-grams made only of title tokens count twice; "beta beta" spans title and body and counts once.
        #expect(Self.row(fit, 0) == [
            "alpha": 2, "beta": 3, "gamma": 2, "alpha beta": 2, "beta beta": 1, "beta gamma": 1, "gamma gamma": 1,
        ])
    }

    @Test func titleWeightEqualsRepeatingTheTitle() throws {
        // With sublinear tf, idf and l2 norm, weight 3 must equal a title written three times (weight 1).
        var weighted = TfidfConfiguration.scikitLearn
        weighted.sublinearTF = true
        weighted.titleWeight = 3
        var repeated = weighted
        repeated.titleWeight = 1
        let articles = Self.generated(count: 300, seed: 8).map { article -> Article in
            var article = article
            article.title = article.title.isEmpty ? "" : "\(article.title) ; \(article.title) ; \(article.title)"
            return article
        }
        // Bigrams would differ (the repeated title adds title-spanning n-grams), so unigrams only.
        let a = try TfidfVectorizer.fit(articles: Self.generated(count: 300, seed: 8), configuration: weighted)
        let b = try TfidfVectorizer.fit(articles: articles, configuration: repeated)
        #expect(a.model.vocabulary == b.model.vocabulary)
        #expect(a.model.idf == b.model.idf)
        #expect(a.matrix.rowStarts == b.matrix.rowStarts)
        #expect(a.matrix.columns == b.matrix.columns)
        #expect(zip(a.matrix.values, b.matrix.values).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func inMemoryFitEqualsFitFromAFile() throws {
        let docsPath = try TfidfFixtures.docsPath()
        let articles = try CorpusReader(path: docsPath).readAll().articles
        #expect(articles.count == 29)
        for name in ["default", "bigrams", "trigrams_stop", "sublinear_df"] {
            let configuration = try TfidfFixtures.configuration(try #require(try TfidfFixtures.golden(name)["config"]))
            let fromFile = try TfidfVectorizer.fit(reader: try CorpusReader(path: docsPath), configuration: configuration)
            let inMemory = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
            #expect(utf8Terms(inMemory.model.vocabulary) == utf8Terms(fromFile.model.vocabulary), "\(name)")
            #expect(inMemory.model.idf == fromFile.model.idf, "\(name)")
            #expect(inMemory.model.documentCount == fromFile.model.documentCount)
            #expect(inMemory.matrix == fromFile.matrix, "\(name)")
            #expect(inMemory.articles == fromFile.articles)
        }
    }

    @Test func largeInMemoryFitEqualsFitFromAFileWithSmallBatches() throws {
        let articles = Self.generated(count: 2000, seed: 17)
        try withTemporaryDirectory { dir in
            let path = try writeJSONL(articles, to: dir.path("generated.jsonl"))
            var options = CorpusOptions()
            options.batchBytes = 4096
            var configuration = TfidfConfiguration.news
            configuration.analyzer.ngramMax = 2
            let fromFile = try TfidfVectorizer.fit(reader: try CorpusReader(path: path, options: options), configuration: configuration)
            let inMemory = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
            #expect(fromFile.articles.map(\.id) == articles.map(\.id))
            #expect(utf8Terms(inMemory.model.vocabulary) == utf8Terms(fromFile.model.vocabulary))
            #expect(inMemory.model.idf == fromFile.model.idf)
            #expect(inMemory.matrix == fromFile.matrix)
            #expect(inMemory.matrix.isValid())
        }
    }

    /// The benchmarks' tokenize-and-count kernel does a fit's counting: with nothing pruned, it meets every
    /// term of the vocabulary and makes every stored entry of the matrix (one per distinct term of a row).
    @Test func countingKernelCountsWhatTheFitStores() throws {
        let articles = Self.generated(count: 800, seed: 41)
        for configuration in [TfidfConfiguration.scikitLearn, TfidfConfiguration.news] {
            var configuration = configuration
            configuration.analyzer.ngramMax = 2
            configuration.minDF = .count(1)
            configuration.maxDF = .fraction(1)
            let fit = try TfidfVectorizer.fit(articles: articles, configuration: configuration)
            let tally = try CountingKernel.count(articles, configuration: configuration)
            #expect(tally.terms == fit.model.vocabulary.count)
            #expect(tally.entries == fit.matrix.values.count)
            #expect(fit.matrix.values.count > articles.count)
        }
    }

    /// Generated news articles whose general words include several scripts, digits and stop words.
    static func generated(count: Int, seed: UInt64) -> [Article] {
        NewsWorld(seed: seed, mixedScripts: true).articles(count: count, seed: seed)
    }

    @Test func resultDoesNotDependOnTheWorkerCount() throws {
        let previous = settledWorkerCount
        let articles = Self.generated(count: 1500, seed: 29)
        try withTemporaryDirectory { dir in
            let path = try writeJSONL(articles, to: dir.path("generated.jsonl"))
            var options = CorpusOptions()
            options.batchBytes = 2048
            for configuration in [TfidfConfiguration.scikitLearn, TfidfConfiguration.news] {
                var configuration = configuration
                configuration.analyzer.ngramMax = 2
                configuration.maxFeatures = 300
                let fits = try [1, 2, 3].map { workers in
                    try withWorkers(workers) {
                        (file: try TfidfVectorizer.fit(reader: try CorpusReader(path: path, options: options), configuration: configuration),
                         memory: try TfidfVectorizer.fit(articles: articles, configuration: configuration))
                    }
                }
                let reference = fits[0].file
                #expect(reference.model.vocabulary.count == 300)
                for fit in fits.flatMap({ [$0.file, $0.memory] }) {
                    #expect(utf8Terms(fit.model.vocabulary) == utf8Terms(reference.model.vocabulary))
                    #expect(fit.model.idf == reference.model.idf)
                    #expect(fit.matrix == reference.matrix)
                    #expect(fit.articles == reference.articles)
                }
            }
        }
        #expect(settledWorkerCount == previous)
    }

    @Test func duplicateIdsAndSkippedRecordsLeaveNoRows() throws {
        try withTemporaryDirectory { dir in
            let path = try dir.write("dups.jsonl", """
                {"id":"a","body":"alpha beta"}
                {"id":"b","body":"beta gamma"}
                {"id":"a","body":"duplicate delta"}
                not json
                {"id":"c","body":"gamma epsilon"}

                """)
            var options = CorpusOptions()
            options.skipInvalid = true
            let fit = try withWorkers(2) {
                try TfidfVectorizer.fit(reader: try CorpusReader(path: path, options: options), configuration: Self.rawCounts)
            }
            #expect(fit.articles.map(\.id) == ["a", "b", "c"])
            #expect(fit.skipped.errors.map(\.line) == [3, 4])
            #expect(fit.model.documentCount == 3)
            #expect(fit.model.vocabulary == ["alpha", "beta", "epsilon", "gamma"]) // no "duplicate"/"delta"
            #expect(fit.matrix.rowCount == 3)
            #expect(Self.row(fit, 2) == ["gamma": 1, "epsilon": 1])

            options.skipInvalid = false
            #expect(throws: CorpusError.self) {
                try TfidfVectorizer.fit(reader: try CorpusReader(path: path, options: options), configuration: Self.rawCounts)
            }
        }
    }

    /// In-memory input is cut into batches of 512 articles: here the whole first batch stores nothing.
    @Test func batchesWithoutAnyStoredEntry() throws {
        let empty = (0..<600).map { Article(id: "empty-\($0)", title: "a", body: "b c 1 ! 😀") }
        let full = Self.generated(count: 600, seed: 4)
        for workers in [1, 2] {
            let fit = try withWorkers(workers) {
                try TfidfVectorizer.fit(articles: empty + full, configuration: .scikitLearn)
            }
            let reference = try TfidfVectorizer.fit(articles: full, configuration: .scikitLearn)
            #expect(fit.matrix.rowCount == 1200)
            #expect(fit.matrix.rowStarts.prefix(601).allSatisfy { $0 == 0 })
            #expect(fit.model.vocabulary == reference.model.vocabulary)
            #expect(fit.matrix.columns == reference.matrix.columns)
            #expect(Array(fit.matrix.rowStarts.suffix(601)) == reference.matrix.rowStarts)
            #expect(fit.matrix.isValid())
            // The empty documents still count in n, so idf differs from the reference.
            #expect(fit.model.documentCount == 1200)
        }
    }

    @Test func keepMetadataFalseDropsTheArticles() throws {
        let fit = try TfidfVectorizer.fit(reader: try CorpusReader(path: try TfidfFixtures.docsPath()),
                                          configuration: .scikitLearn, keepMetadata: false)
        #expect(fit.articles.isEmpty)
        #expect(fit.matrix.rowCount == 29)
    }

    @Test func articleWithoutKeptTermsIsAnEmptyRow() throws {
        let articles = [
            Article(id: "a", body: "alpha beta"),
            Article(id: "b", body: "a b c"),    // no tokens at all
            Article(id: "c", body: "beta beta"),
        ]
        let fit = try TfidfVectorizer.fit(articles: articles, configuration: .scikitLearn)
        #expect(fit.matrix.rowStarts == [0, 2, 2, 3])
        #expect(fit.matrix.isValid())
        // l2-normalized rows have unit length; the empty row stays empty.
        let norm = fit.matrix.row(0).values.reduce(0) { $0 + $1 * $1 }
        #expect(abs(norm - 1) < 1e-6)
        #expect(fit.matrix.row(2).values.first.map { abs($0 - 1) < 1e-6 } == true)
    }
}

import Foundation
import Testing
import SeeAlso
import SeeAlsoTestSupport

/// Categories, tags, section and author through an index: stored, filtered on, weighted in the text.
@Suite struct TaxonomyTests {
    static let sections = ["News", "Sport", "Culture"]
    static let tagWords = ["budget", "election", "harbour", "museum", "derby", "flood"]

    /// Generated articles with a taxonomy drawn from their row (some fields empty).
    static func articles(count: Int) -> [Article] {
        NewsWorld(seed: 41, topicCount: 4, storiesPerTopic: 3).articles(count: count, seed: 3).enumerated().map { row, article in
            var article = article
            article.taxonomy.section = row % 7 == 0 ? [] : [sections[row % 3]]
            article.taxonomy.categories = row % 5 == 0 ? [] : ["c\(row % 4)"] + (row % 2 == 0 ? ["c\(row % 3 + 4)"] : [])
            article.taxonomy.tags = [tagWords[row % 6], tagWords[(row / 6) % 6]]
            article.taxonomy.author = ["Author \(row % 9)"]
            return article
        }
    }

    @Test func theTaxonomyIsStoredAndReadBack() throws {
        try withTemporaryDirectory { scratch in
            let articles = Self.articles(count: 90)
            try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 5))
            let engine = try SeeAlsoEngine(path: scratch.path("index"))
            for article in articles { #expect(engine.article(withID: article.id)?.taxonomy == article.taxonomy, "\(article.id)") }
        }
    }

    @Test func includeAndExcludeFiltersEqualFilteringTheWholeList() throws {
        try withTemporaryDirectory { scratch in
            let articles = Self.articles(count: 120)
            try EngineFixtures.build(articles, in: scratch, options: EngineFixtures.options(k: 10))
            let engine = try SeeAlsoEngine(path: scratch.path("index"))
            let byID = Dictionary(uniqueKeysWithValues: articles.map { ($0.id, $0) })
            var everything = RelatedOptions()
            everything.k = articles.count
            everything.minScore = -1
            everything.duplicateThreshold = 1.01
            let filterSets: [[FieldFilter]] = [
                [FieldFilter(.include, .taxonomy(.categories), values: ["c1", "c5"])],
                [FieldFilter(.exclude, .taxonomy(.section), values: ["Sport"])],
                [FieldFilter(.include, .taxonomy(.tags), values: ["flood"]), FieldFilter(.exclude, .taxonomy(.author), values: ["Author 2", "Author 4"])],
                [FieldFilter(.include, .taxonomy(.section), values: ["News"]), FieldFilter(.include, .taxonomy(.categories), values: ["c2"])],
                [FieldFilter(.include, .taxonomy(.tags), values: ["no such tag"])],
            ]
            func passes(_ article: Article, _ filters: [FieldFilter]) -> Bool {
                filters.allSatisfy { filter in
                    guard case .taxonomy(let field) = filter.field else { return true }
                    return article.taxonomy[field].contains(where: filter.values.contains) == (filter.kind == .include)
                }
            }
            for query in articles.prefix(30) {
                let whole = try engine.related(toArticleWithID: query.id, options: everything).related.map(\.id)
                for filters in filterSets {
                    var options = everything
                    options.filters = filters
                    let filtered = try engine.related(toArticleWithID: query.id, options: options).related.map(\.id)
                    #expect(filtered == whole.filter { passes(byID[$0]!, filters) }, "\(query.id) \(filters)")
                    var stored = options
                    stored.k = 10
                    let storedList = try engine.storedRelated(toArticleWithID: query.id, options: stored).related.map(\.id)
                    #expect(storedList.allSatisfy { passes(byID[$0]!, filters) })
                }
            }
        }
    }

    @Test func filtersParseWithTheirErrorsNamingTheProblem() throws {
        #expect(try FieldFilter(.include, parsing: "category=Politics, World") == FieldFilter(.include, .taxonomy(.categories), values: ["Politics", "World"]))
        #expect(try FieldFilter(.exclude, parsing: "Tags:a") == FieldFilter(.exclude, .taxonomy(.tags), values: ["a"]))
        #expect(try FieldFilter(.exclude, parsing: "lang=en").field == .language)
        for (text, expected) in [("colour=red", "unknown field 'colour'"), ("categories", "is not FIELD=VALUE"), ("tags= , ", "names no value")] {
            let error = try #require(throws: IndexError.self) { try FieldFilter(.include, parsing: text) }
            #expect("\(error)".contains(expected), "\(error)")
        }
    }

    @Test func weightedTagsCountInIndexAndQueryVectorsAlike() throws {
        try withTemporaryDirectory { scratch in
            let articles = Self.articles(count: 100)
            var options = EngineFixtures.options(k: 8)
            options.tfidf.minDF = .count(1)
            try options.tfidf.setFieldWeights(parsing: "tags=3,title=2")
            try EngineFixtures.build(articles, in: scratch, options: options)
            // The same archive with the tags written three times into the body, unweighted.
            let written = articles.map { article -> Article in
                var article = article
                article.body += String(repeating: "\n" + article.taxonomy.tags.joined(separator: "\n"), count: 3)
                article.taxonomy = ArticleTaxonomy()
                return article
            }
            var plain = EngineFixtures.options(k: 8)
            plain.tfidf.minDF = .count(1)
            plain.tfidf.titleWeight = 2
            try EngineFixtures.build(written, in: scratch, name: "written.jsonl", index: "written", options: plain)
            let weighted = try SeeAlsoEngine(path: scratch.path("index"))
            let reference = try SeeAlsoEngine(path: scratch.path("written"))
            var differs = false
            for article in articles.prefix(25) {
                let stored = try weighted.related(toArticleWithID: article.id).related
                let expected = try reference.related(toArticleWithID: article.id).related
                #expect(stored.map(\.id) == expected.map(\.id), "\(article.id)")
                #expect(zip(stored, expected).allSatisfy { abs($0.similarity - $1.similarity) < 1e-5 })
                // A new text with the taxonomy gets the indexed article's vector: its list is the by-id list.
                var query = article
                query.id = "query"
                #expect(try weighted.related(to: query).related.map(\.id) == stored.map(\.id), "\(article.id)")
                var untagged = query
                untagged.taxonomy = ArticleTaxonomy()
                let untaggedList = try weighted.related(to: untagged).related.map(\.id)
                differs = differs || untaggedList != stored.map(\.id)
            }
            #expect(differs, "tags weighted 3 changed no list: the weights did not reach the query vectors")
        }
    }

    @Test func badFieldWeightsAreRefusedByName() throws {
        var configuration = TfidfConfiguration.news
        for text in ["tags=-1", "colour=2", "tags", "body=nan", "title=inf"] {
            let error = try #require(throws: VectorizerError.self) { try configuration.setFieldWeights(parsing: text) }
            #expect("\(error)".contains("field_weight"), "\(error)")
        }
        try configuration.setFieldWeights(parsing: "body=1")
        #expect(configuration.fieldWeights == nil)
    }
}

import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoTestSupport
import SeeAlsoSimilarity
import SeeAlsoVectorize

/// One generated index shared by the tests of this suite (built once; its files are removed once it is open).
private final class GeneratedIndex: @unchecked Sendable {
    static let shared: Result<GeneratedIndex, Error> = Result { try GeneratedIndex() }

    let scratch: TemporaryDirectory
    let articles: [Article]
    let index: Index
    let truth: [[Double]]
    let storedK = 10

    init() throws {
        scratch = try TemporaryDirectory("related")
        articles = NewsWorld(seed: 41).articles(count: 260, seed: 42)
        try IndexFixtures.build(articles, in: scratch, indexPath: scratch.path("idx"), k: storedK)
        index = try Index(path: scratch.path("idx"))
        truth = BruteForce.scores(index.matrix())
        // Static fixtures are never deinitialized: remove the files now (the index stays mapped).
        scratch.remove()
    }
}

@Suite struct RelatedSearchTests {
    private static func fixture() throws -> GeneratedIndex { try GeneratedIndex.shared.get() }

    /// Options that list every candidate: no folding, no cut.
    static func everything(_ count: Int) -> RelatedOptions {
        var options = RelatedOptions()
        options.k = count
        options.candidatePool = count
        options.minScore = 0
        options.duplicateThreshold = 1.01
        return options
    }

    static func checkOrder(_ items: [RelatedItem], sourceLocation: SourceLocation = #_sourceLocation) {
        for (a, b) in zip(items, items.dropFirst()) {
            #expect(a.score > b.score || (a.score == b.score && a.row < b.row), "order at rows \(a.row), \(b.row)", sourceLocation: sourceLocation)
        }
    }

    @Test func dateFiltersKeepOnlyItemsOnTheRightSideOfTheQueryDate() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let n = index.articleCount
        let dated = (0..<n).filter { index.date($0) != nil }
        let undated = (0..<n).filter { index.date($0) == nil }
        #expect(!undated.isEmpty && dated.count > n / 2)
        let search = RelatedSearch(index: index)
        let window: Int64 = 10 * 86_400
        for query in dated.prefix(40) {
            let queryDate = index.date(query)!.secondsSinceEpoch
            let cases: [(RelatedOptions.Direction, Int64?, (Int64) -> Bool)] = [
                (.any, nil, { _ in true }),
                (.before, nil, { $0 <= queryDate }),
                (.after, nil, { $0 >= queryDate }),
                (.any, window, { abs($0 - queryDate) <= window }),
                (.before, window, { $0 <= queryDate && queryDate - $0 <= window }),
                (.after, window, { $0 >= queryDate && $0 - queryDate <= window }),
            ]
            for (direction, within, keep) in cases {
                var options = Self.everything(n)
                options.direction = direction
                options.withinSeconds = within
                let result = search.related(toRow: query, options: options)
                let filtered = direction != .any || within != nil
                let expected = Set((0..<n).filter { row in
                    guard row != query, fixture.truth[query][row] > 0 else { return false }
                    guard filtered else { return true }
                    guard let date = index.date(row) else { return false }
                    return keep(date.secondsSinceEpoch)
                })
                let rows = result.items.map(\.row)
                #expect(Set(rows) == expected, "query \(query), \(direction), within \(String(describing: within)): extra \(Set(rows).subtracting(expected).sorted()), missing \(expected.subtracting(rows).sorted())")
                #expect(rows.count == Set(rows).count)
                #expect(result.copiesOfQuery.isEmpty)
                if filtered { #expect(rows.allSatisfy { index.date($0) != nil }) }
                Self.checkOrder(result.items)
                for item in result.items {
                    #expect(abs(Double(item.similarity) - fixture.truth[query][item.row]) <= 1e-5)
                    #expect(item.score == item.similarity)
                }
            }
        }
        // An undated query: date filters cannot hold.
        var options = Self.everything(n)
        let query = try #require(undated.first)
        #expect(!search.related(toRow: query, options: options).items.isEmpty)
        options.direction = .before
        #expect(search.related(toRow: query, options: options).items.isEmpty)
        options.direction = .any
        options.withinSeconds = 1000 * 86_400
        #expect(search.related(toRow: query, options: options).items.isEmpty)
    }

    @Test func halfLifeDecaysTheScore() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let search = RelatedSearch(index: index)
        let query = try #require((0..<index.articleCount).first { index.date($0) != nil })
        var options = Self.everything(index.articleCount)
        options.halfLifeSeconds = 7 * 86_400
        let result = search.related(toRow: query, options: options)
        #expect(!result.items.isEmpty)
        let queryDate = Double(index.date(query)!.secondsSinceEpoch)
        for item in result.items {
            let date = try #require(index.date(item.row), "undated item with a half-life")
            let expected = Double(item.similarity) * pow(0.5, abs(Double(date.secondsSinceEpoch) - queryDate) / (7 * 86_400))
            #expect(abs(Double(item.score) - expected) <= 1e-6 * max(1, expected))
        }
        Self.checkOrder(result.items)
    }

    @Test func exclusionsByIdAndLabelAndMinScore() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let n = index.articleCount
        let search = RelatedSearch(index: index)
        for query in stride(from: 0, to: n, by: 23) {
            let all = search.related(toRow: query, options: Self.everything(n)).items.map(\.row)
            guard all.count > 4 else { continue }
            var options = Self.everything(n)
            let excludedRows = [all[0], all[2], all[all.count - 1]]
            options.excludedIds = Set(excludedRows.map(index.id)).union(["no-such-id"])
            options.filters = [FieldFilter(.exclude, .label, values: ["topic-2", "topic-4"])]
            let rows = search.related(toRow: query, options: options).items.map(\.row)
            let expected = all.filter { row in
                !excludedRows.contains(row) && !["topic-2", "topic-4"].contains(index.label(row) ?? "")
            }
            #expect(rows == expected, "query \(query)")
            #expect(rows.contains { index.label($0) == nil } == all.contains { index.label($0) == nil && !excludedRows.contains($0) })

            for minimum: Float in [0.05, 0.2, 0.35] {
                var options = Self.everything(n)
                options.minScore = minimum
                let items = search.related(toRow: query, options: options).items
                #expect(items.allSatisfy { $0.similarity >= minimum })
                let listed = Set(items.map(\.row))
                for row in 0..<n where row != query {
                    let score = fixture.truth[query][row]
                    if score > Double(minimum) + 1e-6 { #expect(listed.contains(row), "query \(query) row \(row) score \(score) ≥ \(minimum)") }
                    if score < Double(minimum) - 1e-6 { #expect(!listed.contains(row)) }
                }
            }
            // k cuts the list.
            var short = Self.everything(n)
            short.k = 3
            #expect(search.related(toRow: query, options: short).items.map(\.row) == Array(all.prefix(3)))
        }
    }

    @Test func explanationsArePositiveAndSumToTheCosine() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let search = RelatedSearch(index: index)
        for query in stride(from: 1, to: index.articleCount, by: 17) {
            var options = RelatedOptions()
            options.k = 8
            options.minScore = 0
            options.explainTerms = 100_000
            let result = search.related(toRow: query, options: options)
            let queryVector = index.vector(query)
            for item in result.items {
                let contributions = item.explanation.map(\.contribution)
                #expect(!contributions.isEmpty)
                #expect(contributions.allSatisfy { $0 > 0 })
                #expect(zip(contributions, contributions.dropFirst()).allSatisfy { $0 >= $1 })
                let sum = contributions.reduce(0.0) { $0 + Double($1) }
                #expect(abs(sum - Double(item.similarity)) <= 1e-5, "query \(query) item \(item.row): Σ \(sum) vs cosine \(item.similarity)")
                let itemVector = index.vector(item.row)
                let shared = Set(queryVector.columns).intersection(itemVector.columns)
                #expect(item.explanation.count == shared.count)
                #expect(Set(item.explanation.map(\.term)).count == item.explanation.count)
                for (term, _) in item.explanation {
                    var bytes = term
                    let column = try #require(bytes.withUTF8 { index.column(ofTerm: $0) })
                    #expect(shared.contains(Int32(column)))
                }
            }
            options.explainTerms = 3
            let short = search.related(toRow: query, options: options)
            for (a, b) in zip(short.items, result.items) {
                #expect(a.explanation.map(\.term) == Array(b.explanation.prefix(3)).map(\.term))
            }
        }
    }

    @Test func queryVectorizerReproducesTheStoredVectors() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        var vectorizer = try QueryVectorizer(index: index)
        for (row, article) in fixture.articles.enumerated() {
            let vector = vectorizer.vector(for: article)
            let stored = index.vector(row)
            #expect(vector.columns == stored.columns, "row \(row)")
            if vector.columns == stored.columns {
                #expect(zip(vector.values, stored.values).allSatisfy { abs($0 - $1) <= 1e-6 }, "row \(row)")
            }
        }
        // Only unknown words: an empty vector and an empty list.
        let unknown = Article(id: "q", title: "Zzzqx", body: "wwwqqq yyyzzz xxxvvv")
        let empty = vectorizer.vector(for: unknown)
        #expect(empty.columns.isEmpty)
        #expect(RelatedSearch(index: index).related(to: empty, date: nil, options: RelatedOptions()).items.isEmpty)
        // A new text's list equals the list of the indexed article it copies (minus the copy itself).
        let source = fixture.articles[5]
        var options = Self.everything(index.articleCount)
        let copy = Article(id: "new", title: source.title, body: source.body, date: source.date, language: source.language)
        let fromText = RelatedSearch(index: index).related(to: vectorizer.vector(for: copy), date: copy.date, excluding: 5, options: options)
        let fromRow = RelatedSearch(index: index).related(toRow: 5, options: options)
        #expect(Set(fromText.items.map(\.row)) == Set(fromRow.items.map(\.row)))
        options.duplicateThreshold = 0.8
        let withCopy = RelatedSearch(index: index).related(to: vectorizer.vector(for: copy), date: copy.date, options: options)
        #expect(withCopy.copiesOfQuery.contains(5))
    }

    /// A short list is the head of a long one, folded copies included: `finish` stops keeping items
    /// after the k shown but still folds later candidates into them.
    @Test func aShortListIsTheHeadOfALongOneWithItsFolds() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let search = RelatedSearch(index: index)
        var folds = 0
        for row in 0..<index.articleCount {
            for threshold: Float in [0.25, 0.4] {
                var long = RelatedOptions()
                long.k = 60
                long.minScore = 0.05
                long.duplicateThreshold = threshold
                let longItems = search.related(toRow: row, options: long).items
                let longStored = search.relatedFromStoredList(row: row, options: long).items
                for k in [1, 3, 5] {
                    var short = long
                    short.k = k
                    for (items, reference) in [(search.related(toRow: row, options: short).items, longItems),
                                               (search.relatedFromStoredList(row: row, options: short).items, longStored)] {
                        #expect(items.map(\.row) == reference.prefix(k).map(\.row), "row \(row), k \(k)")
                        #expect(items.map(\.folded) == reference.prefix(k).map(\.folded), "row \(row), k \(k)")
                        #expect(items.map(\.score) == reference.prefix(k).map(\.score), "row \(row), k \(k)")
                        folds += items.reduce(0) { $0 + $1.folded.count }
                    }
                }
            }
        }
        #expect(folds > 100, "the fixture must fold copies for this test to mean anything (\(folds))")
    }

    @Test func storedListAnswersAreConsistentWithFullSearch() throws {
        let fixture = try Self.fixture()
        let index = fixture.index
        let n = index.articleCount
        let search = RelatedSearch(index: index)
        for row in 0..<n {
            for k in [1, 4, fixture.storedK] {
                var options = Self.everything(n)
                options.k = k
                let stored = search.relatedFromStoredList(row: row, options: options).items
                let full = search.related(toRow: row, options: options).items
                #expect(stored.count == full.count, "row \(row), k \(k)")
                for (a, b) in zip(stored, full) {
                    #expect(abs(a.similarity - b.similarity) <= 1e-5, "row \(row), k \(k)")
                    if a.row != b.row {
                        // Only a near-tie may swap.
                        #expect(abs(fixture.truth[row][a.row] - fixture.truth[row][b.row]) <= 1e-6, "row \(row), k \(k): \(a.row) vs \(b.row)")
                    }
                }
            }
            // With filters: a subset of the full answer, in the same relative order.
            var options = Self.everything(n)
            options.direction = .before
            options.withinSeconds = 30 * 86_400
            options.minScore = 0.05
            let stored = search.relatedFromStoredList(row: row, options: options).items.map(\.row)
            let full = search.related(toRow: row, options: options).items.map(\.row)
            #expect(Set(stored).isSubset(of: Set(full)), "row \(row)")
            #expect(full.filter(Set(stored).contains) == stored, "row \(row)")
            #expect(Set(stored).isSubset(of: Set(index.storedList(row).map(\.row))))
        }
    }
}

/// Hand-made articles for folding, copies and MMR (every term kept: min_df 1, max_df 1.0).
@Suite struct RelatedSearchConstructedTests {
    static func words(_ prefix: String, _ range: ClosedRange<Int>) -> String {
        range.map { "\(prefix)\(["", "ka", "zu", "mo", "te", "vi", "ra", "po", "le", "da", "si", "nu"][$0])x" }.joined(separator: " ")
    }

    static func day(_ text: String) -> ArticleDate { ArticleDate(iso: text)! }

    static var articles: [Article] {
        var list: [Article] = [
            Article(id: "query", title: "", body: words("q", 1...10), date: day("2020-03-03")),
            Article(id: "copy-of-query", title: "", body: words("q", 1...10), date: day("2020-03-04")),
            // D1 ranks above D2 but was published later; the two are near-identical.
            Article(id: "d1-later", title: "", body: words("q", 1...5) + " " + words("d", 1...8), date: day("2020-03-05")),
            Article(id: "d2-earlier", title: "", body: words("q", 1...4) + " " + words("d", 1...8), date: day("2020-03-01")),
            Article(id: "f", title: "", body: words("q", 6...8) + " " + words("f", 1...6), date: day("2020-02-01")),
            // MMR: three redundant candidates about m-words, one different about n-words.
            Article(id: "mquery", title: "", body: words("m", 1...6) + " " + words("n", 1...4), date: day("2021-01-10")),
            Article(id: "a1", title: "", body: words("m", 1...5) + " " + words("a", 1...3), date: day("2021-01-01")),
            Article(id: "a2", title: "", body: words("m", 1...5) + " " + words("a", 4...6), date: day("2021-01-02")),
            Article(id: "a3", title: "", body: words("m", 1...4) + " " + words("a", 7...9), date: day("2021-01-03")),
            Article(id: "b1", title: "", body: words("n", 1...1) + " " + words("b", 1...6), date: day("2021-01-04")),
        ]
        for filler in 0..<8 {
            let start = filler % 7 + 1
            list.append(Article(id: "filler\(filler)", title: "", body: words("e", start...start + 3) + " " + words("g", start...start),
                                date: day("2019-0\(filler + 1)-15")))
        }
        return list
    }

    static func build(_ scratch: TemporaryDirectory) throws -> Index {
        try IndexFixtures.build(articles, in: scratch, indexPath: scratch.path("idx"), k: 5, configuration: IndexFixtures.keepEverything)
        return try Index(path: scratch.path("idx"))
    }

    @Test func copiesOfTheQueryAreReportedAndNearDuplicatesFoldIntoTheEarliest() throws {
        let scratch = try TemporaryDirectory("fold")
        defer { scratch.remove() }
        let index = try Self.build(scratch)
        let search = RelatedSearch(index: index)
        let row = { (id: String) throws -> Int in try #require(index.row(ofId: id)) }
        let query = try row("query")
        let d1 = try row("d1-later"), d2 = try row("d2-earlier"), copy = try row("copy-of-query"), f = try row("f")
        #expect(index.vector(d1).dot(index.vector(d2)) >= 0.8)
        #expect(index.vector(query).dot(index.vector(d1)) > index.vector(query).dot(index.vector(d2)))
        #expect(index.vector(query).dot(index.vector(d1)) < 0.8)

        var options = RelatedOptions()
        options.minScore = 0.01
        let result = search.related(toRow: query, options: options)
        #expect(result.copiesOfQuery == [copy])
        #expect(!result.items.contains { $0.row == copy })
        #expect(result.items.map(\.row) == [d2, f], "items \(result.items.map { index.id($0.row) })")
        #expect(result.items.first?.folded == [d1])

        // Folding off: every candidate is listed, the copy first.
        options.duplicateThreshold = 1.01
        let unfolded = search.related(toRow: query, options: options)
        #expect(unfolded.copiesOfQuery.isEmpty)
        #expect(unfolded.items.map(\.row) == [copy, d1, d2, f])
        #expect(unfolded.items.allSatisfy { $0.folded.isEmpty })
    }

    @Test func mmrTradesScoreForDiversity() throws {
        let scratch = try TemporaryDirectory("mmr")
        defer { scratch.remove() }
        let index = try Self.build(scratch)
        let search = RelatedSearch(index: index)
        let query = try #require(index.row(ofId: "mquery"))
        let b1 = try #require(index.row(ofId: "b1"))
        var options = RelatedOptions()
        options.minScore = 0.01
        options.k = 4
        let plain = search.related(toRow: query, options: options).items.map(\.row)
        #expect(plain.count == 4)
        #expect(plain.last == b1, "by score alone the different item comes last: \(plain.map(index.id))")

        options.mmrLambda = 0.5
        let diverse = search.related(toRow: query, options: options).items
        let rows = diverse.map(\.row)
        #expect(Set(rows) == Set(plain))
        #expect(rows.first == plain.first)
        #expect(rows[1] == b1, "MMR should move the different item up: \(rows.map(index.id))")
        // The greedy MMR order, recomputed from the plain scores.
        var plainOptions = options
        plainOptions.mmrLambda = 1
        let scores = Dictionary(uniqueKeysWithValues: search.related(toRow: query, options: plainOptions).items.map { ($0.row, $0.score) })
        var chosen: [Int] = []
        var remaining = plain
        while !remaining.isEmpty {
            var best = 0
            var bestValue = -Float.infinity
            for (position, row) in remaining.enumerated() {
                let redundancy = chosen.map { index.vector($0).dot(index.vector(row)) }.max() ?? 0
                let value = 0.5 * scores[row]! - 0.5 * redundancy
                if value > bestValue { bestValue = value; best = position }
            }
            chosen.append(remaining.remove(at: best))
        }
        #expect(rows == chosen)
    }
}

@Suite struct ParseDurationTests {
    static let valid: [(String, Int64)] = [
        ("365d", 365 * 86_400), ("2w", 14 * 86_400), ("12h", 43_200), ("90m", 5_400), ("10s", 10),
        ("30", 30 * 86_400), (" 3D ", 3 * 86_400), ("1.5d", 129_600), ("0s", 0), ("0", 0), ("3600S", 3600),
    ]

    @Test(arguments: valid)
    func parses(_ text: String, _ seconds: Int64) throws {
        #expect(try RelatedOptions.parseDuration(text) == seconds)
    }

    /// The text of a duration (as stored in a stories method) names it exactly and parses back to it.
    @Test func durationTextRoundTrips() throws {
        let expected: [(Int64, String)] = [(0, "0d"), (43_200, "12h"), (172_800, "2d"), (5_400, "90m"), (129_600, "36h"),
                                           (45, "45s"), (604_800, "7d"), (3_601, "3601s")]
        for (seconds, text) in expected {
            #expect(RelatedOptions.durationText(seconds) == text)
            #expect(try RelatedOptions.parseDuration(text) == seconds)
        }
    }

    /// Hexadecimal and exponent forms that Double reads ("0x10d" was 16 days) are not durations.
    @Test(arguments: ["", "d", "abc", "-5d", "5x", "5 days", "d5", "5ms", "--3", "nan", "1,5d", "h12", "0x10d", "0x1p4", "1e3s", "1.2.3d", "+5d"])
    func rejects(_ text: String) {
        #expect(throws: IndexError.self) { try RelatedOptions.parseDuration(text) }
    }

    /// Values a Double accepts but an Int64 of seconds cannot hold must be an error, not a crash.
    /// Checked through the CLI so that a trap does not take the test process down.
    @Test(arguments: ["inf", "infd", "1e300d", "9999999999999999w", "1e19s"])
    func hugeDurationsAreAnErrorNotACrash(_ text: String) throws {
        let scratch = try TemporaryDirectory("duration")
        defer { scratch.remove() }
        let articles = NewsWorld(seed: 51).articles(count: 40, seed: 52)
        try IndexFixtures.build(articles, in: scratch, indexPath: scratch.path("idx"), k: 3)
        let run = try SeeAlsoExecutable.run(["related", "--index", scratch.path("idx"), "--id", articles[0].id,
                                              "--within", text, "--quiet"])
        let exited = run.exited
        let firstLine = run.error.split(separator: "\n").first.map(String.init) ?? ""
        #expect(exited, "seealso related --within \(text) crashed (signal \(run.status)): \(firstLine)")
        let status = run.status
        #expect(status != 0)
        let mentionsDuration = run.error.contains("duration")
        #expect(mentionsDuration, "stderr: \(firstLine)")
    }
}

import Foundation
import Testing
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSimilarity
import SeeAlsoSupport
import SeeAlsoVectorize

/// SplitMix64, for the index tests.
struct IndexTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
}

/// A made-up news world: topics and stories, each with its own invented words. Articles drawn
/// from a story share its words, so stories form clusters of related articles.
struct NewsWorld {
    let general: [String]
    let topics: [[String]]
    /// stories[topic][story]
    let stories: [[[String]]]
    /// First day (days since 1970) of each story.
    let storyDays: [[Int64]]

    init(seed: UInt64, topicCount: Int = 6, storiesPerTopic: Int = 6) {
        var random = IndexTestRandom(seed: seed)
        let syllables = ["ka", "zu", "mor", "tel", "vin", "qua", "rix", "po", "lem", "dar", "sif", "nup", "gro", "bel",
                         "tav", "xi", "wen", "jol", "fyr", "hub", "ost", "ul", "brek", "sna", "yol", "dri", "pex", "vom"]
        var used = Set<String>()
        func word() -> String {
            while true {
                let length = Int.random(in: 2...3, using: &random)
                let candidate = (0..<length).map { _ in syllables.randomElement(using: &random)! }.joined()
                if candidate.count >= 4, used.insert(candidate).inserted { return candidate }
            }
        }
        general = (0..<250).map { _ in word() }
        topics = (0..<topicCount).map { _ in (0..<40).map { _ in word() } }
        stories = (0..<topicCount).map { _ in (0..<storiesPerTopic).map { _ in (0..<12).map { _ in word() } } }
        let firstDay = Int64(16_436) // 2015-01-01
        storyDays = (0..<topicCount).map { _ in (0..<storiesPerTopic).map { _ in firstDay + Int64.random(in: 0..<1800, using: &random) } }
    }

    /// `count` articles with ids `prefix` + number (every 13th id has a non-ASCII prefix), titles
    /// (some empty), dates (some with a time, some absent), urls, labels (some empty), events and languages.
    func articles(count: Int, seed: UInt64, idPrefix: String = "a", firstNumber: Int = 0) -> [Article] {
        var random = IndexTestRandom(seed: seed)
        var result: [Article] = []
        result.reserveCapacity(count)
        for number in firstNumber..<firstNumber + count {
            let topic = Int.random(in: 0..<topics.count, using: &random)
            let story = Int.random(in: 0..<stories[topic].count, using: &random)
            let storyWords = stories[topic][story]
            let topicWords = topics[topic]
            func draw() -> String {
                let u = Double.random(in: 0..<1, using: &random)
                if u < 0.45 { return storyWords.randomElement(using: &random)! }
                if u < 0.75 { return topicWords.randomElement(using: &random)! }
                return general.randomElement(using: &random)!
            }
            let title = random.chance(0.05) ? "" : (0..<Int.random(in: 3...6, using: &random)).map { _ in draw() }.joined(separator: " ").capitalized
            var body = ""
            let sentences = Int.random(in: 3...6, using: &random)
            for _ in 0..<sentences {
                let words = (0..<Int.random(in: 6...12, using: &random)).map { _ in draw() }
                body += words.joined(separator: " ").capitalized + ". "
            }
            var date: ArticleDate?
            let day = storyDays[topic][story] + Int64.random(in: 0..<25, using: &random)
            let dateKind = Double.random(in: 0..<1, using: &random)
            if dateKind < 0.6 {
                date = ArticleDate(secondsSinceEpoch: day * 86_400, hasTime: false)
            } else if dateKind < 0.92 {
                date = ArticleDate(secondsSinceEpoch: day * 86_400 + Int64.random(in: 0..<86_400, using: &random), hasTime: true)
            }
            let id = (number % 13 == 5 ? "é" : "") + idPrefix + String(number)
            let url: String? = random.chance(0.7) ? "https://news.example/\(topic)/\(number)?q=\"x\"" : nil
            let labelKind = Double.random(in: 0..<1, using: &random)
            let label: String? = labelKind < 0.85 ? "topic-\(topic)" : labelKind < 0.92 ? nil : ""
            let event: String? = random.chance(0.9) ? "story-\(topic)-\(story)" : nil
            let languageKind = Double.random(in: 0..<1, using: &random)
            let language: String? = languageKind < 0.8 ? "en" : languageKind < 0.9 ? nil : "it"
            result.append(Article(id: id, title: title, body: body, date: date, url: url, label: label, event: event, language: language))
        }
        return result
    }
}

/// A fresh directory under the system temporary directory, removed by `remove()` (use with defer).
struct ScratchDirectory {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "index") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("seealso-itest-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum IndexFixtures {
    /// Writes `articles` as JSON Lines and returns the path.
    @discardableResult
    static func writeJSONL(_ articles: [Article], to path: String) throws -> String {
        var text = ""
        for article in articles {
            var object: [String: Any] = ["id": article.id, "title": article.title, "body": article.body]
            if let date = article.date { object["date"] = date.description }
            if let url = article.url { object["url"] = url }
            if let label = article.label { object["label"] = label }
            if let event = article.event { object["event"] = event }
            if let language = article.language { object["lang"] = language }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            text += String(decoding: data, as: UTF8.self) + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func reader(_ path: String) throws -> CorpusReader { try CorpusReader(path: path) }

    /// Builds an index of `articles` (through a JSONL file in `directory`) and writes it to `indexPath`.
    @discardableResult
    static func build(_ articles: [Article], in directory: ScratchDirectory, indexPath: String, k: Int = 8,
                      configuration: TfidfConfiguration = .news, frozenModel: TfidfModel? = nil) throws -> IndexContents {
        ProgressReporter.isEnabled = false
        let input = try writeJSONL(articles, to: directory.path("input-\(UUID().uuidString).jsonl"))
        var options = IndexBuildOptions()
        options.configuration = configuration
        options.frozenModel = frozenModel
        options.k = k
        options.method = .exact
        let contents = try IndexBuilder.build(reader: try reader(input), options: options)
        try IndexWriter.write(contents, to: IndexDirectory(path: indexPath))
        return contents
    }

    /// The metadata an index returns for an article: empty optional strings read back as absent.
    static func expectedMetadata(_ metadata: ArticleMetadata) -> ArticleMetadata {
        func absentIfEmpty(_ value: String?) -> String? { value?.isEmpty == true ? nil : value }
        return ArticleMetadata(id: metadata.id, title: metadata.title, date: metadata.date, url: absentIfEmpty(metadata.url),
                               label: absentIfEmpty(metadata.label), event: absentIfEmpty(metadata.event),
                               language: absentIfEmpty(metadata.language))
    }

    /// A configuration that keeps every term (for small hand-made corpora).
    static var keepEverything: TfidfConfiguration {
        var configuration = TfidfConfiguration()
        configuration.minDF = .count(1)
        configuration.maxDF = .fraction(1.0)
        return configuration
    }

    /// Names and contents of every file of a directory tree (for "unchanged" checks).
    static func snapshot(_ path: String) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return result }
        while let name = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = path + "/" + name
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[name] = FileManager.default.contents(atPath: full) ?? Data()
            } else {
                result[name + "/"] = Data()
            }
        }
        return result
    }
}

/// Brute-force lists on a CSR matrix (Double dot products), compared with tolerance at near-ties.
enum IndexBruteForce {
    static func scores(_ matrix: CSRMatrix) -> [[Double]] {
        var result = [[Double]](repeating: [], count: matrix.rowCount)
        var dense = [Double](repeating: 0, count: matrix.columnCount)
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] { dense[Int(matrix.columns[index])] = Double(matrix.values[index]) }
            var scores = [Double](repeating: 0, count: matrix.rowCount)
            for other in 0..<matrix.rowCount {
                var sum = 0.0
                for index in matrix.rowStarts[other]..<matrix.rowStarts[other + 1] {
                    sum += dense[Int(matrix.columns[index])] * Double(matrix.values[index])
                }
                scores[other] = sum
            }
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] { dense[Int(matrix.columns[index])] = 0 }
            result[row] = scores
        }
        return result
    }

    /// Problems of `lists` (rows → (id, score) best first) against brute force: the k best other rows
    /// with score > 0, order score desc then id asc, scores within 1e-5, either choice at near-ties (1e-6).
    static func problems(_ lists: (Int) -> [(id: Int, score: Float)], truth: [[Double]], k: Int) -> [String] {
        let tolerance = 1e-6
        var problems: [String] = []
        for row in 0..<truth.count {
            let scores = truth[row]
            let expected = (0..<scores.count).filter { $0 != row && scores[$0] > 0 }
                .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
            let actual = lists(row)
            func fail(_ message: String) { problems.append("row \(row): \(message)") }
            let sure = expected.filter { scores[$0] > tolerance }.count
            guard actual.count >= min(k, sure), actual.count <= k else {
                fail("\(actual.count) items, expected \(min(k, expected.count))")
                continue
            }
            if Set(actual.map(\.id)).count != actual.count { fail("repeated id") }
            for item in actual {
                if item.id == row { fail("lists itself") }
                if abs(Double(item.score) - scores[item.id]) > 1e-5 { fail("score of \(item.id): \(item.score) vs \(scores[item.id])") }
                if item.score <= 0 { fail("score \(item.score) ≤ 0") }
            }
            for (a, b) in zip(actual, actual.dropFirst()) {
                if !(a.score > b.score || (a.score == b.score && a.id < b.id)) { fail("order at \(a.id), \(b.id)") }
                if scores[a.id] < scores[b.id] - tolerance { fail("\(a.id) before \(b.id) with a lower score") }
            }
            let listed = Set(actual.map(\.id))
            if actual.count == k, expected.count >= k {
                let cut = scores[expected[k - 1]]
                for id in expected where scores[id] > cut + tolerance && !listed.contains(id) { fail("misses \(id)") }
                for item in actual where scores[item.id] < cut - tolerance { fail("\(item.id) below the cut") }
            } else {
                for id in expected where scores[id] > tolerance && !listed.contains(id) { fail("misses \(id)") }
            }
            if problems.count > 20 { break }
        }
        return problems
    }
}

/// The `seealso` executable built beside the test bundle.
enum SeeAlsoExecutable {
    static func locate() -> URL? {
        var starts: [URL] = [Bundle.main.bundleURL, Bundle.main.executableURL ?? Bundle.main.bundleURL]
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        for start in starts {
            var folder = start.resolvingSymlinksInPath()
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent("seealso")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    static func require() throws -> URL {
        try #require(locate(), "the seealso executable is not beside the test bundle (\(Bundle.main.bundleURL.path)): run `swift build` (which builds it) before `swift test`")
    }

    /// Runs seealso to completion; returns (status, stdout, stderr, whether it exited normally).
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String, exited: Bool) {
        let process = Process()
        process.executableURL = try require()
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes concurrently to avoid blocking on a full pipe.
        let errorData = Locked(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData.value, as: UTF8.self), process.terminationReason == .exit)
    }
}

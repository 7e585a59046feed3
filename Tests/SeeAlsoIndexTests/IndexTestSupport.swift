import Foundation
import SeeAlsoCorpus
import SeeAlsoIndex
import SeeAlsoSimilarity
import SeeAlsoTestSupport
import SeeAlsoVectorize

enum IndexFixtures {
    /// Builds an exact index of `articles` (through a JSONL file in `directory`), writes it to
    /// `indexPath` and returns what was written.
    @discardableResult
    static func build(_ articles: [Article], in directory: TemporaryDirectory, indexPath: String, k: Int = 8,
                      configuration: TfidfConfiguration = .news) throws -> IndexContents {
        let input = try writeJSONL(articles, to: directory.path("input-\(UUID().uuidString).jsonl"))
        let fit = try TfidfVectorizer.fit(reader: try CorpusReader(path: input), configuration: configuration)
        let contents = IndexContents(model: fit.model, articles: fit.articles, index: ExactIndex(building: fit.matrix, k: k, progress: nil),
                                     method: "exact", sources: [input])
        try IndexDirectory(path: indexPath).withWriter(waitSeconds: 0, purpose: .replace(force: false)) { _ = try IndexWriter.write(contents, session: $0, record: nil) }
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

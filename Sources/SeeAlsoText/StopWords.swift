import Foundation
import SeeAlsoSupport

/// Stop-word lists: the per-language files shipped in `Models/stopwords/<code>.txt` (see
/// `ModelsDirectory`), or a user file.
///
/// Files are UTF-8, one word per line; blank lines and lines starting with `#` are ignored.
/// Words are matched against tokens after lowercasing and accent stripping, as in scikit-learn.
package enum StopWords {
    /// The shipped list for `language`. `english` is exactly scikit-learn's `ENGLISH_STOP_WORDS` (318 words).
    package static func list(for language: Language) throws -> Set<String> {
        let cache = loaded.withLock { $0[language] }
        if let cache { return cache }
        guard let url = ModelsDirectory.file("stopwords/\(language.rawValue).txt") else {
            throw TextResourceError(path: "Models/stopwords/\(language.rawValue).txt",
                                    reason: "not found (searched \(ModelsDirectory.searched.joined(separator: ", ")); set SEEALSO_MODELS)")
        }
        let words = try read(url.path)
        loaded.withLock { $0[language] = words }
        return words
    }

    /// Reads a user's stop-word file.
    package static func read(_ path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextResourceError(path: path, reason: "cannot read the stop-word file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextResourceError(path: path, reason: "the stop-word file is not valid UTF-8")
        }
        var words = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let word = line.trimmingCharacters(in: .whitespaces)
            if word.isEmpty || word.hasPrefix("#") { continue }
            words.insert(word)
        }
        return words
    }

    private static let loaded = Locked<[Language: Set<String>]>([:])
}

/// A language resource that could not be loaded.
public struct TextResourceError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A language SeeAlso has analysis resources for (stop words, stemming).
///
/// Codes are ISO 639-1. An article's `lang` field, or `--language`, selects one; texts in other
/// languages are tokenized and lowercased but get no stop words and no stemming.
public enum Language: String, CaseIterable, Sendable, Codable {
    case english = "en"
    case italian = "it"
    case french = "fr"
    case german = "de"
    case spanish = "es"
    case portuguese = "pt"

    /// Parses an ISO 639-1 code ("en") or an English name ("english"), case-insensitively;
    /// region suffixes are ignored ("en-GB", "pt_BR").
    public init?(code: String) {
        let lowered = code.lowercased()
        let base = lowered.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? lowered
        if let language = Language(rawValue: base) {
            self = language
            return
        }
        switch base {
        case "english": self = .english
        case "italian": self = .italian
        case "french": self = .french
        case "german": self = .german
        case "spanish": self = .spanish
        case "portuguese": self = .portuguese
        default: return nil
        }
    }
}

/// Reduces an inflected word to its stem, e.g. "connections" → "connect".
///
/// Input is one lowercased token; output is the stem. Implementations are pure and thread-safe.
package protocol Stemmer: Sendable {
    func stem(_ word: String) -> String
}

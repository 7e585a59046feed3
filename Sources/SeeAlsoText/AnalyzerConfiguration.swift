import Foundation

/// How text becomes terms, with scikit-learn's names where it has them.
///
/// Pipeline per text: lowercase (`lowercase`) → strip accents (`strip_accents`) → tokens of two
/// or more word characters (`token_pattern` `(?u)\b\w\w+\b`) → drop stop words (`stop_words`)
/// → stem (SeeAlso's addition) → word n-grams for n in `ngram_range`, joined by one space.
public struct AnalyzerConfiguration: Codable, Sendable, Equatable {
    /// Which stop words to drop.
    public enum StopWordChoice: Codable, Sendable, Equatable {
        /// None (scikit-learn's default).
        case none
        /// The shipped list of one language for every article (`english` is scikit-learn's list).
        case language(Language)
        /// Each article's own language list (see `LanguageChoice`).
        case perArticle
        /// A user list, stored with the model so the model stays self-contained.
        case custom([String])
    }

    /// Which language an article is analyzed in (for `perArticle` stop words and stemming).
    public enum LanguageChoice: Codable, Sendable, Equatable {
        /// The article's `lang` field; English when it has none. Unsupported codes get no stop words or stemming.
        case perArticle
        /// The same language for every article.
        case fixed(Language)
    }

    public var lowercase = true
    public var stripAccents: AccentStripping = .none
    public var stopWords: StopWordChoice = .none
    /// Snowball stemming in the article's language (English and Italian ship; others are unstemmed).
    public var stemming = false
    public var language: LanguageChoice = .perArticle
    /// Smallest and largest n of word n-grams (scikit-learn's `ngram_range`), 1 ≤ min ≤ max.
    public var ngramMin = 1
    public var ngramMax = 1
    /// The shipped stop-word lists `stopWords` resolved to (language code → words, sorted), kept with
    /// a model or index so that it analyzes text alike on a machine without `Models/`; nil: read from
    /// `Models/` when an analyzer is made (`resolveStopWordLists()` fills it).
    public var stopWordLists: [String: [String]]?

    public init() {}

    /// Reads the shipped lists `stopWords` names from `Models/` into `stopWordLists` (the one language's,
    /// or every language's for `perArticle`; none for `none` and `custom`, which need no files).
    public mutating func resolveStopWordLists() throws {
        let languages: [Language]
        switch stopWords {
        case .language(let language): languages = [language]
        case .perArticle: languages = Language.allCases
        case .none, .custom: languages = []
        }
        var lists: [String: [String]] = [:]
        for language in languages { lists[language.rawValue] = try StopWords.list(for: language).sorted() }
        stopWordLists = lists.isEmpty ? nil : lists
    }

    /// The stop words of `language`: the stored list when there is one, else the shipped file.
    func stopWordList(for language: Language) throws -> Set<String> {
        if let stored = stopWordLists?[language.rawValue] { return Set(stored) }
        return try StopWords.list(for: language)
    }

    /// The language an article with `lang` field `code` is analyzed in, or nil for an unsupported one.
    public func language(forArticleCode code: String?) -> Language? {
        switch language {
        case .fixed(let language): return language
        case .perArticle:
            guard let code else { return .english }
            return Language(code: code)
        }
    }
}

extension AnalyzerConfiguration.StopWordChoice: CustomStringConvertible {
    /// The CLI's value: `none`, `auto`, a language code, or `custom (N words)`.
    public var description: String {
        switch self {
        case .none: "none"
        case .perArticle: "auto"
        case .language(let language): language.rawValue
        case .custom(let words): "custom (\(words.count) words)"
        }
    }

    /// Parses `none`, `auto` (each article's language), a language (`english`, `en`, `it`, …) or a file path.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "none": self = .none
        case "auto": self = .perArticle
        default:
            if let language = Language(code: text) {
                self = .language(language)
            } else if FileManager.default.fileExists(atPath: text) {
                self = .custom(try StopWords.read(text).sorted())
            } else {
                throw TextResourceError(
                    path: text,
                    reason: "stop words must be none, auto, a language (\(Language.allCases.map(\.rawValue).joined(separator: ", "))) or an existing file")
            }
        }
    }
}

extension AnalyzerConfiguration.LanguageChoice {
    /// Parses `auto` (each article's `lang` field) or a language code or name.
    public init(parsing text: String) throws {
        if text.lowercased() == "auto" {
            self = .perArticle
        } else if let language = Language(code: text) {
            self = .fixed(language)
        } else {
            throw TextResourceError(
                path: "--language", reason: "unknown language '\(text)' (auto, \(Language.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }
}

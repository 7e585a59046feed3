/// JSON of the analyzer's choices, in the values of the CLI options (README "JSON output"):
/// stop words `"none"`, `"auto"` (each article's language), a language code (`"en"`) or
/// `{"custom": [words]}`; language `"auto"` (each article's `lang`) or a code. Models and indexes
/// written before this shape (Swift's `{"language": {"_0": "en"}}`) are still read.
extension AnalyzerConfiguration.StopWordChoice {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .none: try LegacyChoiceCoding.encode("none", to: encoder)
        case .perArticle: try LegacyChoiceCoding.encode("auto", to: encoder)
        case .language(let language): try LegacyChoiceCoding.encode(language.rawValue, to: encoder)
        case .custom(let words):
            var container = encoder.container(keyedBy: LegacyChoiceCoding.Key.self)
            try container.encode(words, forKey: LegacyChoiceCoding.Key("custom"))
        }
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            switch text {
            case "none": self = .none
            case "auto": self = .perArticle
            default: self = .language(try LegacyChoiceCoding.language(text, decoder))
            }
            return
        }
        let (key, value) = try LegacyChoiceCoding.singleKey(decoder)
        switch key {
        case "none": self = .none
        case "perArticle": self = .perArticle
        case "language": self = .language(try value.payload(Language.self))
        case "custom": self = .custom(try value.payload([String].self))
        default: throw LegacyChoiceCoding.unknown(key, decoder)
        }
    }
}

extension AnalyzerConfiguration.LanguageChoice {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .perArticle: try LegacyChoiceCoding.encode("auto", to: encoder)
        case .fixed(let language): try LegacyChoiceCoding.encode(language.rawValue, to: encoder)
        }
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = text == "auto" ? .perArticle : .fixed(try LegacyChoiceCoding.language(text, decoder))
            return
        }
        let (key, value) = try LegacyChoiceCoding.singleKey(decoder)
        switch key {
        case "perArticle": self = .perArticle
        case "fixed": self = .fixed(try value.payload(Language.self))
        default: throw LegacyChoiceCoding.unknown(key, decoder)
        }
    }
}

/// Reading the one-key objects Swift synthesizes for enums with associated values
/// (`{"case": {"_0": payload}}`, `{"case": {}}`) as well as the plain new shape (`{"case": payload}`).
package enum LegacyChoiceCoding {
    package struct Key: CodingKey {
        package var stringValue: String
        package var intValue: Int? { nil }
        package init(_ name: String) { stringValue = name }
        package init?(stringValue: String) { self.stringValue = stringValue }
        package init?(intValue: Int) { nil }
    }

    /// The value under an object's one key: a payload, or `{"_0": payload}`.
    package struct Value {
        let container: KeyedDecodingContainer<Key>
        let key: Key

        package func payload<T: Decodable>(_ type: T.Type) throws -> T {
            if let plain = try? container.decode(T.self, forKey: key) { return plain }
            return try container.nestedContainer(keyedBy: Key.self, forKey: key).decode(T.self, forKey: Key("_0"))
        }
    }

    package static func encode(_ text: String, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    package static func singleKey(_ decoder: any Decoder) throws -> (String, Value) {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "expected an object with one key, got \(container.allKeys.map(\.stringValue))"))
        }
        return (key.stringValue, Value(container: container, key: key))
    }

    static func language(_ code: String, _ decoder: any Decoder) throws -> Language {
        guard let language = Language(code: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown language \"\(code)\""))
        }
        return language
    }

    package static func unknown(_ key: String, _ decoder: any Decoder) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown choice \"\(key)\""))
    }
}

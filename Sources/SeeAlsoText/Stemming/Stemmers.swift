extension Language {
    /// The Snowball stemmer for this language, or nil for a language without one (every current
    /// case has one).
    package var stemmer: (any Stemmer)? {
        switch self {
        case .english: EnglishStemmer()
        case .italian: ItalianStemmer()
        case .french: FrenchStemmer()
        case .german: GermanStemmer()
        case .spanish: SpanishStemmer()
        case .portuguese: PortugueseStemmer()
        }
    }
}

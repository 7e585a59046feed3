/// Turns articles into sequences of term ids, one analyzer per thread.
///
/// Terms (unigrams and n-grams) get ids in the analyzer's own `TermDictionary`, in order of first
/// appearance; a vectorizer merges the dictionaries of its threads. The per-token work after
/// tokenizing is one hash lookup: stop-word and stemming decisions are made once per distinct
/// token and language, then cached.
package struct Analyzer {
    package let configuration: AnalyzerConfiguration
    /// Every term seen so far (analyzed unigrams and n-grams).
    package private(set) var terms = TermDictionary(expectedCount: 32768)
    private var tokenizer: Tokenizer
    private var tokens = TokenBuffer()
    /// Per language slot (see `slot(for:)`): token text → term id, or -1 for a dropped token.
    private var surfaceForms: [TermDictionary]
    private var surfaceTerms: [[Int32]]
    private let stopLists: [Set<String>?]
    private let stemmers: [(any Stemmer)?]
    private var unigrams: [Int32] = []
    private var gramBytes: [UInt8] = []

    /// Slots: one per `Language` case, then one for unsupported languages.
    private static let unsupportedSlot = Language.allCases.count

    package init(configuration: AnalyzerConfiguration) throws {
        self.configuration = configuration
        guard configuration.ngramMin >= 1, configuration.ngramMin <= configuration.ngramMax else {
            throw AnalyzerError.invalidNgramRange(configuration.ngramMin, configuration.ngramMax)
        }
        tokenizer = Tokenizer(lowercase: configuration.lowercase, stripAccents: configuration.stripAccents)
        let slotCount = Language.allCases.count + 1
        surfaceForms = Array(repeating: TermDictionary(expectedCount: 16384), count: slotCount)
        surfaceTerms = Array(repeating: [], count: slotCount)
        var stopLists: [Set<String>?] = Array(repeating: nil, count: slotCount)
        var stemmers: [(any Stemmer)?] = Array(repeating: nil, count: slotCount)
        for (slot, language) in Language.allCases.enumerated() {
            switch configuration.stopWords {
            case .none: break
            case .language(let fixed): stopLists[slot] = try configuration.stopWordList(for: fixed)
            case .perArticle: stopLists[slot] = try configuration.stopWordList(for: language)
            case .custom(let words): stopLists[slot] = Set(words)
            }
            if configuration.stemming { stemmers[slot] = language.stemmer }
        }
        switch configuration.stopWords {
        case .language(let fixed): stopLists[Analyzer.unsupportedSlot] = try configuration.stopWordList(for: fixed)
        case .custom(let words): stopLists[Analyzer.unsupportedSlot] = Set(words)
        case .none, .perArticle: break
        }
        self.stopLists = stopLists
        self.stemmers = stemmers
    }

    private func slot(for language: Language?) -> Int {
        guard let language else { return Analyzer.unsupportedSlot }
        return Language.allCases.firstIndex(of: language)!
    }

    /// Analyzes title then body as one token stream (n-grams may span them, as for scikit-learn on
    /// `title + "\n" + body`) and replaces `output` with the term ids of every occurrence. Terms made
    /// only of title tokens come first; their number is returned (so a caller can weigh them).
    @discardableResult
    package mutating func analyze(title: String, body: String, languageCode: String?, into output: inout [Int32]) -> Int {
        let slot = slot(for: configuration.language(forArticleCode: languageCode))
        unigrams.removeAll(keepingCapacity: true)
        tokens.removeAll()
        tokenizer.tokenize(title, into: &tokens)
        appendTerms(slot: slot)
        let titleTerms = unigrams.count
        tokens.removeAll()
        tokenizer.tokenize(body, into: &tokens)
        appendTerms(slot: slot)

        output.removeAll(keepingCapacity: true)
        if configuration.ngramMin == 1 && configuration.ngramMax == 1 {
            output.append(contentsOf: unigrams)
            return titleTerms
        }
        let total = unigrams.count
        var titleOnly = 0
        for titlePass in [true, false] {
            for n in configuration.ngramMin...configuration.ngramMax where n <= total {
                let starts = titlePass ? 0..<max(0, titleTerms - n + 1) : max(0, titleTerms - n + 1)..<(total - n + 1)
                for start in starts {
                    output.append(n == 1 ? unigrams[start] : ngramId(start: start, length: n))
                }
            }
            if titlePass { titleOnly = output.count }
        }
        return titleOnly
    }

    /// The analyzed terms of a text as strings, in order (for tests, explanations and queries).
    package mutating func terms(of text: String, languageCode: String? = nil) -> [String] {
        var ids: [Int32] = []
        analyze(title: "", body: text, languageCode: languageCode, into: &ids)
        return ids.map { terms.string(Int($0)) }
    }

    /// Looks up each token in the slot's surface table and appends its term id (stop words vanish).
    private mutating func appendTerms(slot: Int) {
        // Move the slot's tables into locals so that probing them costs no copy-on-write checks.
        var surfaces = TermDictionary(expectedCount: 0)
        var surfaceTermIds: [Int32] = []
        swap(&surfaces, &surfaceForms[slot])
        swap(&surfaceTermIds, &surfaceTerms[slot])
        defer {
            swap(&surfaces, &surfaceForms[slot])
            swap(&surfaceTermIds, &surfaceTerms[slot])
        }
        for index in 0..<tokens.count {
            let token = tokens.token(index)
            let term: Int32
            if let surface = surfaces.find(token) {
                term = surfaceTermIds[Int(surface)]
            } else {
                _ = surfaces.insert(token)
                term = analyzeNewSurface(token, slot: slot)
                surfaceTermIds.append(term)
            }
            if term >= 0 { unigrams.append(term) }
        }
    }

    /// Stop-word test and stemming for a token seen for the first time in this language.
    private mutating func analyzeNewSurface(_ token: UnsafeBufferPointer<UInt8>, slot: Int) -> Int32 {
        let text = String(decoding: token, as: UTF8.self)
        if let stopList = stopLists[slot], stopList.contains(text) { return -1 }
        if let stemmer = stemmers[slot] {
            let stem = stemmer.stem(text)
            var stemBytes = Array(stem.utf8)
            return stemBytes.withUnsafeMutableBufferPointer { terms.insert(UnsafeBufferPointer($0)).id }
        }
        return terms.insert(token).id
    }

    /// The id of the n-gram of `length` unigrams starting at `start`: their texts joined by spaces.
    private mutating func ngramId(start: Int, length: Int) -> Int32 {
        gramBytes.removeAll(keepingCapacity: true)
        for offset in 0..<length {
            if offset > 0 { gramBytes.append(0x20) }
            terms.appendBytes(of: Int(unigrams[start + offset]), to: &gramBytes)
        }
        return gramBytes.withUnsafeBufferPointer { terms.insert($0).id }
    }
}

public enum AnalyzerError: Error, CustomStringConvertible {
    case invalidNgramRange(Int, Int)

    public var description: String {
        switch self {
        case .invalidNgramRange(let low, let high):
            return "ngram_range (\(low), \(high)) is invalid: need 1 ≤ min_n ≤ max_n"
        }
    }
}

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
    /// Per language slot (see `slot(for:)`): token text → its term id as payload, or -1 for a dropped token.
    /// Unused when `surfacesAreTerms`.
    private var surfaceForms: [TermDictionary]
    /// True when a token's analysis does not depend on its article's language and a kept token is its
    /// own term (no stemming, stop words none, fixed or custom): tokens are then looked up in `terms`
    /// itself, whose payload is the term id or -1 for a stop word, so each token costs one probe of one table.
    private let surfacesAreTerms: Bool
    /// The current token batch's dictionary signatures (reused).
    private var signatures: [TermDictionary.Signature] = []
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
        if case .perArticle = configuration.stopWords {
            surfacesAreTerms = false
        } else {
            surfacesAreTerms = !configuration.stemming
        }
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
    /// First every token's signature is computed and its slot prefetched, so the cache misses of a whole
    /// document overlap instead of stalling one probe after another; then the tokens are probed.
    private mutating func appendTerms(slot: Int) {
        // Move the table into a local so that probing it costs no copy-on-write checks; the shared empty
        // table holds its place (a copy of it allocates nothing).
        var surfaces = TermDictionary.placeholder
        if surfacesAreTerms { swap(&surfaces, &terms) } else { swap(&surfaces, &surfaceForms[slot]) }
        defer { if surfacesAreTerms { swap(&surfaces, &terms) } else { swap(&surfaces, &surfaceForms[slot]) } }
        let count = tokens.count
        signatures.removeAll(keepingCapacity: true)
        for index in 0..<count {
            let signature = TermDictionary.signature(paddedKey: tokens.token(index))
            signatures.append(signature)
            surfaces.prefetch(signature)
        }
        for index in 0..<count {
            let token = tokens.token(index)
            let term: Int32
            if let known = surfaces.payload(of: token, signature: signatures[index]) {
                term = known
            } else if surfacesAreTerms {
                term = isStopWord(token, slot: slot) ? -1 : Int32(surfaces.count)
                _ = surfaces.insert(token, signature: signatures[index], payload: term)
            } else {
                term = analyzeNewSurface(token, slot: slot)
                _ = surfaces.insert(token, signature: signatures[index], payload: term)
            }
            if term >= 0 { unigrams.append(term) }
        }
    }

    private func isStopWord(_ token: UnsafeBufferPointer<UInt8>, slot: Int) -> Bool {
        guard let stopList = stopLists[slot] else { return false }
        return stopList.contains(String(decoding: token, as: UTF8.self))
    }

    /// Stop-word test and stemming for a token seen for the first time in this language.
    private mutating func analyzeNewSurface(_ token: UnsafeBufferPointer<UInt8>, slot: Int) -> Int32 {
        if isStopWord(token, slot: slot) { return -1 }
        if let stemmer = stemmers[slot] {
            let text = String(decoding: token, as: UTF8.self)
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

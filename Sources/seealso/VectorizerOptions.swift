import ArgumentParser
import SeeAlso

/// TF-IDF options with scikit-learn's names in kebab case. Each flag given overrides the preset.
struct VectorizerOptions: ParsableArguments {
    enum Preset: String, ExpressibleByArgument, CaseIterable {
        /// SeeAlso's news defaults (see README "Defaults").
        case news
        /// scikit-learn's TfidfVectorizer() defaults.
        case sklearn
    }

    @Option(help: "Starting point for the options below: news (SeeAlso's defaults) or sklearn (TfidfVectorizer()).")
    var preset: Preset = .news
    @Flag(inversion: .prefixedNo, help: "Lowercase before tokenizing (sklearn: lowercase).") var lowercase: Bool?
    @Option(help: "none, unicode or ascii (sklearn: strip_accents).") var stripAccents: AccentStripping?
    @Option(help: "none, auto (each article's language), a language (english, it, …) or a file (sklearn: stop_words).")
    var stopWords: String?
    @Flag(inversion: .prefixedNo, help: "Snowball stemming in each article's language.") var stemming: Bool?
    @Option(help: "Language of every article, or auto to use each article's lang field (English when absent).") var language: String?
    @Option(help: "MIN,MAX word n-gram sizes (sklearn: ngram_range).") var ngramRange: String?
    @Option(help: "Drop terms in fewer documents: a count (2) or a fraction (0.01) (sklearn: min_df).") var minDf: String?
    @Option(help: "Drop terms in more documents: a count or a fraction (0.5) (sklearn: max_df).") var maxDf: String?
    @Option(help: "Keep only the N terms with the highest total tf (sklearn: max_features).") var maxFeatures: Int?
    @Option(help: "l2, l1 or none (sklearn: norm).") var norm: RowNorm?
    @Flag(inversion: .prefixedNo, help: "Weight by idf (sklearn: use_idf).") var useIdf: Bool?
    @Flag(inversion: .prefixedNo, help: "idf = ln((1+n)/(1+df)) + 1 instead of ln(n/df) + 1 (sklearn: smooth_idf).") var smoothIdf: Bool?
    @Flag(inversion: .prefixedNo, help: "tf = 1 + ln(tf) (sklearn: sublinear_tf).") var sublinearTf: Bool?
    @Flag(inversion: .prefixedNo, help: "tf = 1 for every present term (sklearn: binary).") var binary: Bool?
    @Option(help: "How many times a title token counts; 1 treats title and body alike.") var titleWeight: Float?
    @Option(help: ArgumentHelp("Weights of the fields in tf, e.g. title=2,tags=3,body=1 (title, body, categories, tags, section, author; unnamed taxonomy fields stay out of the text).", valueName: "field=weight,…"))
    var fieldWeight: String?

    func configuration() throws -> TfidfConfiguration {
        var configuration: TfidfConfiguration = preset == .news ? .news : .scikitLearn
        if let lowercase { configuration.analyzer.lowercase = lowercase }
        if let stripAccents { configuration.analyzer.stripAccents = stripAccents }
        if let stopWords { configuration.analyzer.stopWords = try .init(parsing: stopWords) }
        if let stemming { configuration.analyzer.stemming = stemming }
        if let language { configuration.analyzer.language = try .init(parsing: language) }
        if let ngramRange { (configuration.analyzer.ngramMin, configuration.analyzer.ngramMax) = try TfidfConfiguration.parseNgramRange(ngramRange) }
        if let minDf { configuration.minDF = try DocumentFrequencyBound(parsing: minDf, name: "min_df") }
        if let maxDf { configuration.maxDF = try DocumentFrequencyBound(parsing: maxDf, name: "max_df") }
        if let maxFeatures { configuration.maxFeatures = maxFeatures }
        if let norm { configuration.norm = norm }
        if let useIdf { configuration.useIDF = useIdf }
        if let smoothIdf { configuration.smoothIDF = smoothIdf }
        if let sublinearTf { configuration.sublinearTF = sublinearTf }
        if let binary { configuration.binary = binary }
        if let titleWeight { configuration.titleWeight = titleWeight }
        if let fieldWeight { try configuration.setFieldWeights(parsing: fieldWeight) }
        try configuration.validate()
        return configuration
    }
}

extension AccentStripping: ExpressibleByArgument {}
extension RowNorm: ExpressibleByArgument {}

import ArgumentParser
import SeeAlso

struct RelatedCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "related",
        abstract: "Print the \"See also\" list of an article of the index, of a new text, or of every article.")

    @OptionGroup var index: IndexOption
    @Option(help: "An article of the index, by id.") var id: String?
    @Option(help: "A new article from a text file: first line title, the rest body.") var textFile: String?
    @Flag(help: "A new article as one JSON object on standard input (JSON Lines fields).") var stdin = false
    @Flag(help: "Every article of the index, from the stored lists (--format json: one {\"lists\": [...]} document; jsonl: one line each).")
    var all = false
    @Option(name: [.short, .long], help: "Items in the list (default 5, or the stored list length with --all and --stored when it is shorter).")
    var k: Int?
    @Option(help: "Lowest cosine similarity of an item.") var minScore: Float = 0.1
    @Flag(help: "Only articles published before the query (what a page can show when it is published).") var before = false
    @Flag(help: "Only articles published after the query (follow-ups).") var after = false
    @Option(help: "Only articles within this time of the query, e.g. 365d, 8w, 12h.") var within: String?
    @Option(help: "Time decay: the score halves every such interval away from the query, e.g. 180d.") var halfLife: String?
    @Option(help: "Cosine at or above which items are copies (of the query, or of a better item, folded into the earliest).")
    var duplicateThreshold: Float = 0.8
    @Option(help: "MMR diversity: λ·score − (1−λ)·similarity to chosen items; 1 ranks by score alone.") var mmrLambda: Float = 1
    @Option(help: "Ids to leave out (comma-separated).") var excludeId: String?
    @Option(help: "Labels to leave out (comma-separated); the same as --exclude label=….") var excludeLabel: String?
    @Option(help: ArgumentHelp("Only articles with one of these values: FIELD=V1,V2 (categories, tags, section, author, label, lang); repeat for several fields.", valueName: "field=values"))
    var include: [String] = []
    @Option(help: ArgumentHelp("Leave out articles with any of these values: FIELD=V1,V2; repeatable.", valueName: "field=values"))
    var exclude: [String] = []
    @Flag(help: "With --id: answer from the article's stored list (O(k), what `serve` answers with stored=true) instead of scoring the archive.")
    var stored = false
    @Option(help: "Show the N terms that contribute most to each item's similarity.") var explain = 0
    @Option(help: "Date of a --text-file or --stdin query (ISO 8601, RFC 2822 or epoch seconds; overrides the JSON's), for --before/--after/--within.")
    var date: String?
    @Option(help: "Show dates in this zone (UTC, -05:00, Europe/Rome) instead of each article's own offset; also the zone of query times without one.")
    var timeZone: String?
    @Option(help: "Clean a --text-file or --stdin query as HTML: auto (when it contains markup), on, off.") var html: HTMLMode = .auto
    @Option(help: "Date display: iso, or a pattern such as \"d MMMM yyyy\" (the default).") var dateFormat = "d MMMM yyyy"
    @Option(help: "text (a See also box), json, or jsonl (with --all).") var format: ItemsFormat = .text
    @Flag(help: "Check every index file's checksum before answering.") var verify = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        let sources = [id != nil, textFile != nil, stdin, all].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --id, --text-file, --stdin, --all") }
        guard !(before && after) else { throw ValidationError("--before and --after exclude each other") }
        guard !stored || id != nil else { throw ValidationError("--stored needs --id (a new text has no stored list)") }
        guard date == nil || textFile != nil || stdin else {
            throw ValidationError("--date dates a new text (--text-file or --stdin); an indexed article (--id, --all) has its own date")
        }
        try validating { try RelatedBox.checkDateFormat(dateFormat) }
    }

    func run(progress: any ProgressReporter) throws {
        let engine = try SeeAlsoEngine(path: index.path, verify: verify)
        var options = try relatedOptions()
        options.k = k ?? (all || stored ? min(options.k, engine.manifest.k) : options.k)
        let printer = try RelatedBox(engine: engine, dateFormat: dateFormat)
        let zone = try timeZone.map { try DateZone(option: $0) }
        let show = { (list: RelatedList) in
            let shown = list.shown(in: zone)
            print(format == .text ? printer.box(shown) : shown.json())
        }
        if all && format == .json {
            return try engine.writeStoredListsDocument(options: options, zone: zone, progress: progress) { print($0, terminator: "") }
        }
        if all { return try engine.forEachStoredList(options: options, progress: progress, show) }
        if let id {
            return show(stored ? try engine.storedRelated(toArticleWithID: id, options: options) : try engine.related(toArticleWithID: id, options: options))
        }
        show(try engine.related(to: try newArticle(zone: zone ?? .utc), options: options))
    }

    private func relatedOptions() throws -> RelatedOptions {
        var options = RelatedOptions()
        if let k { options.k = k }
        options.minScore = minScore
        options.direction = before ? .before : after ? .after : .any
        options.withinSeconds = try within.map(RelatedOptions.parseDuration)
        options.halfLifeSeconds = try halfLife.map(RelatedOptions.parseDuration)
        options.duplicateThreshold = duplicateThreshold
        options.mmrLambda = mmrLambda
        options.excludedIds = Set((excludeId ?? "").split(separator: ",").map { String($0) })
        options.filters = try FieldFilter.parse(include: include, exclude: exclude + (excludeLabel.map { ["label=" + $0] } ?? []))
        options.explainTerms = explain
        return options
    }

    /// The new text of --text-file or --stdin, dated by --date when given (a time without an offset is in `zone`).
    private func newArticle(zone: DateZone) throws -> Article {
        var input = CorpusOptions()
        input.html = html
        input.timeZone = zone
        var article = try stdin ? Article.decodeJSONFromStandardInput(options: input) : Article(textFile: textFile!, options: input)
        if let date { article.date = try validating("--date") { try ArticleDate(parsing: date, assuming: zone) } }
        return article
    }
}

import ArgumentParser
import SeeAlso

struct ReportCommand: ProgressCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a self-contained HTML page of an index's topics, story timelines and a map of its articles.",
        discussion: """
            The page shows the topics and stories that `seealso cluster` stored (size, top terms, representative \
            titles; the largest stories with their articles on a date axis) and a map of the articles coloured by \
            topic: their LSA vectors projected onto the two directions of largest variance, from an evenly spaced \
            sample above --map-articles. An index without stored clusters gets a page that says so: run \
            `seealso cluster` first. The page has inline CSS and SVG, no script, and fetches nothing.
            """)

    @OptionGroup var index: IndexOption
    @Option(help: "HTML file to write.") var output: String
    @Option(help: "Most articles on the map (an evenly spaced sample above it).") var mapArticles = ReportOptions().mapArticles
    @Option(help: "LSA dimensions of the map's vectors.") var mapDimensions = ReportOptions().mapDimensions
    @Option(help: "Stories on the timeline (the largest).") var stories = ReportOptions().stories
    @Option(help: "Random seed of the map's SVD.") var seed = ReportOptions().seed
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard mapArticles >= 1 else { throw ValidationError("--map-articles must be at least 1, got \(mapArticles)") }
        guard mapDimensions >= 1 else { throw ValidationError("--map-dimensions must be at least 1, got \(mapDimensions)") }
        guard stories >= 0 else { throw ValidationError("--stories must be 0 or more, got \(stories)") }
    }

    func run(progress: any ProgressReporter) throws {
        var options = ReportOptions()
        options.mapArticles = mapArticles
        options.mapDimensions = mapDimensions
        options.stories = stories
        options.seed = seed
        let report = try SeeAlsoEngine(path: index.path).report(options: options)
        try report.writeHTML(to: output)
        print("\(output): \(report.articleCount) articles, \(report.topics.count) topics, \(report.stories.count) stories on the timeline, "
              + "\(report.map.count) articles on the map")
    }
}

import Foundation

extension IndexReport {
    /// The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched, so it
    /// works offline. Every text from the archive (titles, terms) is HTML-escaped.
    public var html: String {
        let summary = "\(articleCount) articles · " + (topicsMethod == nil ? "no topics stored" : "\(topics.count) topics")
            + " · " + (storiesMethod == nil ? "no stories stored" : "\(storyCount) stories of more than one article")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>SeeAlso report: \(htmlEscaped(name))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <h1>SeeAlso report: \(htmlEscaped(name))</h1>
            <p class="summary">\(summary)</p>
            \(mapSection)
            \(topicsSection)
            \(storiesSection)
            </body>
            </html>

            """
    }

    private static let style = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 1280px; padding: 0 16px; }
        h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
        .summary, .note, .method { color: #555; } .method { font-size: 12px; }
        .map { display: flex; gap: 20px; align-items: flex-start; } .map svg { flex: 0 0 auto; border: 1px solid #ccc; background: #fcfcfc; }
        .legend { list-style: none; padding: 0; margin: 0; font-size: 13px; columns: 1; }
        .legend li { margin: 2px 0; } .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #eee; }
        td.size { text-align: right; white-space: nowrap; } td ul { margin: 0; padding-left: 16px; } .terms { font-family: ui-monospace, monospace; font-size: 12px; }
        .stories { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 8px 24px; }
        .story h3 { font-size: 14px; margin: 10px 0 2px; } .story ol { margin: 0; padding-left: 20px; font-size: 13px; }
        time { color: #666; font-variant-numeric: tabular-nums; margin-right: 6px; } .empty { font-style: italic; }
        svg text { font: 11px system-ui, sans-serif; fill: #444; }
        """

    // MARK: Map

    private var mapSection: String {
        guard !map.isEmpty else { return "<section id=\"map\"><h2>Map of articles</h2><p class=\"empty\">The index has no articles.</p></section>" }
        let width = 760.0, height = 560.0, margin = 14.0
        let xs = map.map { Double($0.x) }, ys = map.map { Double($0.y) }
        let spanX = max(xs.max()! - xs.min()!, 1e-9), spanY = max(ys.max()! - ys.min()!, 1e-9)
        // One scale for both axes: distances on the page are distances between the vectors.
        let scale = min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY)
        let offsetX = (width - scale * spanX) / 2 - scale * xs.min()!, offsetY = (height - scale * spanY) / 2 + scale * ys.max()!
        let points = map.map { point in
            "<circle cx=\"\(decimal(offsetX + scale * Double(point.x)))\" cy=\"\(decimal(offsetY - scale * Double(point.y)))\" r=\"3.5\" "
                + "fill=\"\(point.color)\"><title>\(htmlEscaped(point.title))</title></circle>"
        }
        let legend = topics.map { topic in
            "<li><span class=\"swatch\" style=\"background:\(topic.color)\"></span>\(htmlEscaped(topic.topTerms.prefix(3).joined(separator: ", "))) "
                + "<span class=\"note\">(\(topic.size))</span></li>"
        } + (map.contains { $0.color == Self.unassignedColor }
            ? ["<li><span class=\"swatch\" style=\"background:\(Self.unassignedColor)\"></span>no topic</li>"] : [])
        return """
            <section id="map">
            <h2>Map of articles</h2>
            <div class="map">
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
            role="img" aria-label="articles coloured by topic" fill-opacity="0.75">
            \(points.joined(separator: "\n"))
            </svg>
            <ul class="legend">\(legend.joined())</ul>
            </div>
            <p class="note">\(htmlEscaped(mapNote)) Hover a point for its title.</p>
            </section>
            """
    }

    // MARK: Topics

    private var topicsSection: String {
        guard let topicsMethod else {
            return "<section id=\"topics\"><h2>Topics</h2><p class=\"empty\">No topics are stored in this index: run "
                + "<code>seealso cluster --index \(htmlEscaped(name))</code> and make the report again.</p></section>"
        }
        let rows = topics.map { topic in
            let share = articleCount > 0 ? String(format: "%.1f%%", 100 * Double(topic.size) / Double(articleCount)) : "–"
            return "<tr class=\"topic\"><td><span class=\"swatch\" style=\"background:\(topic.color)\"></span></td>"
                + "<td class=\"size\">\(topic.size) <span class=\"note\">(\(share))</span></td>"
                + "<td class=\"terms\">\(htmlEscaped(topic.topTerms.joined(separator: ", ")))</td>"
                + "<td><ul>\(topic.titles.map { "<li>\(htmlEscaped($0))</li>" }.joined())</ul></td></tr>"
        }
        return """
            <section id="topics">
            <h2>Topics</h2>
            <p class="method">\(htmlEscaped(topicsMethod))</p>
            <table>
            <thead><tr><th></th><th>articles</th><th>top terms</th><th>representative titles</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            </section>
            """
    }

    // MARK: Stories

    private var storiesSection: String {
        guard let storiesMethod else {
            return "<section id=\"stories\"><h2>Story timelines</h2><p class=\"empty\">No stories are stored in this index: run "
                + "<code>seealso cluster --index \(htmlEscaped(name)) --method stories</code> and make the report again.</p></section>"
        }
        guard !stories.isEmpty else {
            return "<section id=\"stories\"><h2>Story timelines</h2><p class=\"empty\">No story has more than one article.</p></section>"
        }
        let shown = stories.count < storyCount ? "The \(stories.count) largest of \(storyCount) stories" : "All \(storyCount) stories"
        let lists = stories.map { story in
            let listed = story.articles.prefix(articlesListedPerStory)
            let more = story.articles.count - listed.count
            return "<div class=\"story\"><h3><span class=\"swatch\" style=\"background:\(story.color)\"></span>\(story.size) articles: "
                + "<span class=\"terms\">\(htmlEscaped(story.topTerms.prefix(5).joined(separator: ", ")))</span></h3>"
                + Self.storyTimeline(story) + "<ol>"
                + listed.map { "<li><time>\($0.date.map { htmlEscaped($0.description) } ?? "undated")</time>\(htmlEscaped($0.title))</li>" }.joined()
                + (more > 0 ? "<li class=\"note\">… and \(more) more</li>" : "") + "</ol></div>"
        }
        return """
            <section id="stories">
            <h2>Story timelines</h2>
            <p class="method">\(htmlEscaped(storiesMethod))</p>
            <p class="note">\(shown) of more than one article, each on one line at its articles' dates; under it, each story on its own date axis.</p>
            \(timeline)
            <div class="stories">
            \(lists.joined(separator: "\n"))
            </div>
            </section>
            """
    }

    /// A story's own date axis, from its first to its last dated article: a dot per article, the two dates
    /// at the ends and the span between them.
    private static func storyTimeline(_ story: Story) -> String {
        let dated = story.articles.compactMap { article in article.date.map { ($0, article.title) } }
        guard let first = dated.first?.0, let last = dated.last?.0 else { return "" }
        let width = 380.0, inset = 8.0, y = 10.0
        let span = Double(last.secondsSinceEpoch - first.secondsSinceEpoch)
        func x(_ date: ArticleDate) -> Double {
            span > 0 ? inset + (width - 2 * inset) * Double(date.secondsSinceEpoch - first.secondsSinceEpoch) / span : width / 2
        }
        let days = span / 86_400
        let spanText = days >= 2 ? String(format: "%.0f days", days) : String(format: "%.1f hours", span / 3_600)
        var parts = ["<line x1=\"\(decimal(inset))\" y1=\"\(decimal(y))\" x2=\"\(decimal(width - inset))\" y2=\"\(decimal(y))\" stroke=\"#ccc\"/>"]
        for (date, title) in dated {
            parts.append("<circle cx=\"\(decimal(x(date)))\" cy=\"\(decimal(y))\" r=\"4\" fill=\"\(story.color)\" fill-opacity=\"0.7\">"
                         + "<title>\(htmlEscaped("\(date) — \(title)"))</title></circle>")
        }
        parts.append("<text x=\"0\" y=\"30\">\(first)</text><text x=\"\(decimal(width / 2))\" y=\"30\" text-anchor=\"middle\">\(spanText)</text>"
                     + "<text x=\"\(decimal(width))\" y=\"30\" text-anchor=\"end\">\(last)</text>")
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"34\" viewBox=\"0 0 \(Int(width)) 34\" "
            + "role=\"img\" aria-label=\"the story's articles by date\">" + parts.joined() + "</svg>"
    }

    /// One row per story on a shared date axis: a line from its first to its last dated article, a dot per article.
    private var timeline: String {
        let seconds = stories.flatMap { $0.articles.compactMap { $0.date?.secondsSinceEpoch } }
        guard let first = seconds.min(), let last = seconds.max() else {
            return "<p class=\"empty\">None of these stories' articles is dated.</p>"
        }
        let width = 1240.0, labelWidth = 300.0, right = 20.0, rowHeight = 26.0, top = 10.0
        let height = top + rowHeight * Double(stories.count) + 30
        let span = Double(max(last - first, 86_400))
        func x(_ value: Int64) -> Double { labelWidth + (width - labelWidth - right) * Double(value - first) / span }
        var parts: [String] = []
        for (position, story) in stories.enumerated() {
            let y = top + rowHeight * (Double(position) + 0.5)
            let dated = story.articles.compactMap { article in article.date.map { ($0, article.title) } }
            let label = "\(story.size) · " + story.topTerms.prefix(3).joined(separator: ", ")
            parts.append("<text x=\"\(decimal(labelWidth - 10))\" y=\"\(decimal(y))\" text-anchor=\"end\" dominant-baseline=\"middle\">"
                         + "\(htmlEscaped(label))</text>")
            if let start = dated.map({ $0.0.secondsSinceEpoch }).min(), let end = dated.map({ $0.0.secondsSinceEpoch }).max() {
                parts.append("<line x1=\"\(decimal(x(start)))\" y1=\"\(decimal(y))\" x2=\"\(decimal(x(end)))\" y2=\"\(decimal(y))\" "
                             + "stroke=\"\(story.color)\" stroke-width=\"2\"/>")
            }
            for (date, title) in dated {
                parts.append("<circle cx=\"\(decimal(x(date.secondsSinceEpoch)))\" cy=\"\(decimal(y))\" r=\"4\" fill=\"\(story.color)\" "
                             + "fill-opacity=\"0.8\"><title>\(htmlEscaped("\(date) — \(title)"))</title></circle>")
            }
        }
        let axisY = top + rowHeight * Double(stories.count) + 4
        parts.append("<line x1=\"\(decimal(labelWidth))\" y1=\"\(decimal(axisY))\" x2=\"\(decimal(width - right))\" y2=\"\(decimal(axisY))\" stroke=\"#999\"/>")
        let ticks = 6
        for tick in 0...ticks {
            let value = first + Int64(span * Double(tick) / Double(ticks))
            let day = ArticleDate(secondsSinceEpoch: value, hasTime: false).description
            parts.append("<line x1=\"\(decimal(x(value)))\" y1=\"\(decimal(axisY))\" x2=\"\(decimal(x(value)))\" y2=\"\(decimal(axisY + 4))\" stroke=\"#999\"/>")
            let anchor = tick == 0 ? "start" : tick == ticks ? "end" : "middle"  // the end labels stay inside the frame
            parts.append("<text x=\"\(decimal(x(value)))\" y=\"\(decimal(axisY + 16))\" text-anchor=\"\(anchor)\">\(day)</text>")
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"story timelines\">\n"
            + parts.joined(separator: "\n") + "\n</svg>"
    }
}

/// `value` with one decimal, for SVG coordinates.
private func decimal(_ value: Double) -> String { String(format: "%.1f", value) }

/// `text` safe inside HTML elements and attribute values.
func htmlEscaped(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.append(character)
        }
    }
    return result
}

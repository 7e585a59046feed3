import Foundation
import SeeAlso

// related-box INDEX ID [K]
//
// Opens a SeeAlso index and prints the "See also" list of one of its articles as one JSON line,
// exactly as `seealso related --index INDEX --id ID -k K --format json` does, then the same list as
// the box a page would show: titles and dates of the earlier related stories.
let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4, let k = Int(arguments.count == 4 ? arguments[3] : "5"), k >= 1 else {
    FileHandle.standardError.write(Data("usage: related-box INDEX ID [K]\n".utf8))
    exit(2)
}

do {
    let engine = try SeeAlsoEngine(path: arguments[1])
    var options = RelatedOptions()
    options.k = k
    let list = try engine.related(toArticleWithID: arguments[2], options: options)
    print(list.json())

    // The box under the article: only stories published before it, within a year.
    options.direction = .before
    options.withinSeconds = 365 * 86_400
    let box = try engine.related(toArticleWithID: arguments[2], options: options)
    var lines = ["See also"]
    for item in box.related {
        lines.append("  \(item.title.isEmpty ? item.id : item.title) (\(item.date?.description ?? "undated"))")
    }
    if box.related.isEmpty { lines.append("  (no earlier related stories)") }
    FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
} catch {
    FileHandle.standardError.write(Data("related-box: \(error)\n".utf8))
    exit(1)
}

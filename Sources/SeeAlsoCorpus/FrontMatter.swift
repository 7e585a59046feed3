/// The YAML front matter of a Markdown file: a first line `---`, then `key: value` lines, then a line
/// `---` (or `...`). Only the simple YAML that blogs and CMS exports write is read: `key: value`
/// (quotes around the value removed), `key: [a, b, "c, d"]`, and `key:` followed by `- item` lines;
/// blank lines and `#` comments are skipped. Keys are matched case-insensitively.
struct FrontMatter {
    enum Value: Equatable {
        case text(String)
        case list([String])

        /// The list's items, or the one value as a list of one.
        var items: [String] {
            switch self {
            case .text(let text): return [text]
            case .list(let items): return items
            }
        }
    }

    /// Key (lowercased) → value, and the 1-based line of each key.
    private(set) var values: [String: Value] = [:]
    private(set) var lines: [String: Int] = [:]
    /// The lines after the closing `---`.
    private(set) var rest: Substring = ""

    /// Splits `text` into front matter and the rest; nil when `text` does not start with a `---` line.
    /// Throws (with the line) when the block is not closed or a line is not `key: value` or `- item`.
    init?(_ text: String, file: String) throws(CorpusError) {
        let utf8 = text.utf8
        var cursor = utf8.startIndex
        /// The next line without its line feed (split on the byte: "\r\n" is one Character to Swift).
        func nextLine() -> Substring? {
            guard cursor < utf8.endIndex else { return nil }
            let end = utf8[cursor...].firstIndex(of: 0x0A) ?? utf8.endIndex
            defer { cursor = end < utf8.endIndex ? utf8.index(after: end) : end }
            return text[cursor..<end]
        }
        guard let first = nextLine(), first.trimmingTrailingSpace == "---" else { return nil }
        var number = 1
        var listKey: String?
        while let raw = nextLine() {
            number += 1
            let line = raw.trimmingTrailingSpace
            if line == "---" || line == "..." {
                rest = text[cursor...]
                return
            }
            let content = line.drop { $0 == " " || $0 == "\t" }
            if content.isEmpty || content.hasPrefix("#") { continue }
            if content.hasPrefix("- ") || content == "-", let key = listKey {
                let item = Self.unquoted(content.dropFirst())
                if case .list(let items)? = values[key] { values[key] = .list(items + [item]) } else { values[key] = .list([item]) }
                continue
            }
            guard let colon = content.firstIndex(of: ":"), colon > content.startIndex else {
                throw CorpusError(.malformedFrontMatter, file: file, line: number, "front matter line \"\(line)\" is not key: value or - item")
            }
            let key = content[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            self.lines[key] = number
            if value.isEmpty {
                listKey = key
                values[key] = .list([])
            } else if value.hasPrefix("["), value.hasSuffix("]") {
                listKey = nil
                values[key] = .list(Self.flowItems(value.dropFirst().dropLast()))
            } else {
                listKey = nil
                values[key] = .text(Self.unquoted(Substring(value)))
            }
        }
        throw CorpusError(.malformedFrontMatter, file: file, line: 1, "front matter opened by --- on line 1 is never closed by a --- line")
    }

    /// `a, "b, c", 'd'` → ["a", "b, c", "d"]; empty items dropped.
    private static func flowItems(_ text: Substring) -> [String] {
        var items: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "," {
                items.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current.trimmingCharacters(in: .whitespaces))
        return items.filter { !$0.isEmpty }
    }

    /// The text without surrounding whitespace and one pair of matching quotes.
    private static func unquoted(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}

private extension Substring {
    /// Without trailing spaces, tabs and a carriage return.
    var trimmingTrailingSpace: Substring {
        var end = endIndex
        while end > startIndex, let last = self[..<end].last, last == " " || last == "\t" || last == "\r" { end = index(before: end) }
        return self[..<end]
    }
}

/// A "See also" list written as compact JSON with sorted keys by hand: the same bytes as
/// `JSONLine.encode` (Foundation's JSONEncoder, `.sortedKeys`, `.withoutEscapingSlashes`; tested on
/// generated lists), without its boxing of every value. Measured: JSONEncoder was about 15% of the
/// CPU of a served stored-list request on the 1M-article index (perf), the one hot path that writes JSON.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func write(_ list: RelatedList) {
        bytes.reserveCapacity(256 + 256 * list.related.count)
        var object = Object()
        object.optional("copies", list.copies, &self) { $0.strings($1) }
        object.optional("date", list.date, &self) { $0.quoted($1.description) }
        object.field("id", &self) { $0.quoted(list.id) }
        object.field("related", &self) { text in text.array(list.related) { $0.write($1) } }
        object.optional("story", list.story, &self) { $0.integer($1) }
        object.optional("storySize", list.storySize, &self) { $0.integer($1) }
        object.field("title", &self) { $0.quoted(list.title) }
        object.optional("topic", list.topic, &self) { $0.integer($1) }
        object.optional("topicTerms", list.topicTerms, &self) { $0.strings($1) }
        object.close(&self)
    }

    private mutating func write(_ item: RelatedArticle) {
        var object = Object()
        object.optional("date", item.date, &self) { $0.quoted($1.description) }
        object.optional("explain", item.explain, &self) { text, terms in
            text.array(terms) { text, term in
                var pair = Object()
                pair.field("contribution", &text) { $0.number(term.contribution) }
                pair.field("term", &text) { $0.quoted(term.term) }
                pair.close(&text)
            }
        }
        object.optional("folded", item.folded, &self) { $0.strings($1) }
        object.field("id", &self) { $0.quoted(item.id) }
        object.field("score", &self) { $0.number(item.score) }
        object.field("similarity", &self) { $0.number(item.similarity) }
        object.optional("story", item.story, &self) { $0.integer($1) }
        object.field("title", &self) { $0.quoted(item.title) }
        object.optional("topic", item.topic, &self) { $0.integer($1) }
        object.optional("url", item.url, &self) { $0.quoted($1) }
        object.close(&self)
    }

    /// Writes `{`, the fields given in key order with their commas, and `}`.
    private struct Object {
        private var empty = true

        mutating func field(_ key: StaticString, _ text: inout JSONText, _ value: (inout JSONText) -> Void) {
            text.bytes.append(empty ? UInt8(ascii: "{") : UInt8(ascii: ","))
            empty = false
            text.bytes.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { text.bytes.append(contentsOf: $0) }
            text.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            value(&text)
        }

        mutating func optional<Value>(_ key: StaticString, _ value: Value?, _ text: inout JSONText, _ write: (inout JSONText, Value) -> Void) {
            if let value { field(key, &text) { write(&$0, value) } }
        }

        mutating func close(_ text: inout JSONText) {
            if empty { text.bytes.append(UInt8(ascii: "{")) }
            text.bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func array<Element>(_ elements: [Element], _ write: (inout JSONText, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (position, element) in elements.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func strings(_ values: [String]) { array(values) { $0.quoted($1) } }

    private mutating func integer(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// As JSONEncoder writes a Float: its shortest description, without a trailing ".0".
    private mutating func number(_ value: Float) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string: `"` and `\` escaped, control characters as \b \f \n \r \t or \u00xx, the rest
    /// (slashes, DEL, every non-ASCII character) as UTF-8.
    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

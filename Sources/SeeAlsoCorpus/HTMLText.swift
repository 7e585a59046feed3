/// Whether the readers clean article text as HTML: `auto` when it looks like markup
/// (`HTMLText.looksLikeHTML`), `on` always, `off` never.
public enum HTMLMode: String, CaseIterable, Sendable {
    case auto, on, off

    /// `text` as the readers keep it under this mode.
    public func apply(_ text: String) -> String {
        switch self {
        case .off: return text
        case .on: return HTMLText.clean(text)
        case .auto: return HTMLText.looksLikeHTML(text) ? HTMLText.clean(text) : text
        }
    }
}

/// HTML to plain text, in one pass over the UTF-8 bytes (no DOM): tags removed, block-level tags
/// (`p`, `br`, `div`, `li`, `h1`–`h6`, `tr`, `td`, …) becoming a line break so that words on either side
/// stay apart, comments and `<script>`/`<style>` content dropped, character references decoded —
/// the HTML 4 names plus `&apos;`, `&#NNN;` and `&#xHH;` (128–159 read as Windows-1252; 0,
/// surrogates and values past U+10FFFF become U+FFFD; `&nbsp;` becomes a space).
///
/// Malformed markup never fails: a `<` that does not start a tag (`a < b`, `<3`) stays text, as does
/// a tag that is never closed by `>` and an unknown or unterminated reference (`AT&T`, `&bogus;`).
public enum HTMLText {
    /// Whether `text` contains markup: a closing tag (`</` then a letter), a comment (`<!--`), an opening
    /// tag of a known HTML element (`<p>`, `<a href=…>`, `<br/>`: the name followed by `>`, `/` or
    /// whitespace), or a known character reference (`&amp;`, `&#39;`). Plain text such as `a < b`,
    /// `x<y`, `<3` or `AT&T` is not markup. Stops at the first hit; O(bytes).
    public static func looksLikeHTML(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = HTMLScanner(bytes)
            return scanner.findsMarkup()
        }
    }

    /// The plain text of `html`.
    public static func clean(_ html: String) -> String {
        var html = html
        return html.withUTF8 { bytes in
            var scanner = HTMLScanner(bytes)
            return String(decoding: scanner.clean(), as: UTF8.self)
        }
    }
}

/// What an element's tag does to the text.
private enum TagKind {
    /// Removed without a trace (`b`, `a`, `span`, …).
    case inline
    /// Removed, leaving a line break.
    case block
    /// Removed with its content (`script`, `style`).
    case rawText
}

private struct HTMLScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var output: [UInt8] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Element names (lowercase, first 8 bytes packed little-endian) → kind.
    static let tags: [UInt64: TagKind] = {
        let inline = "a abbr acronym b bdi bdo big cite code del dfn em font i img ins kbd mark q s samp small span strike strong sub sup time tt u var wbr picture source video audio noscript label"
        let block = "address article aside blockquote body br caption center dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html iframe li main meta link nav ol option p pre section summary table tbody td tfoot th thead title tr ul button input select textarea"
        var table: [UInt64: TagKind] = [:]
        for name in inline.split(separator: " ") { table[pack(Array(name.utf8))] = .inline }
        for name in block.split(separator: " ") { table[pack(Array(name.utf8))] = .block }
        for name in ["script", "style"] { table[pack(Array(name.utf8))] = .rawText }
        return table
    }()

    static func pack(_ name: some Collection<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for (index, byte) in name.prefix(8).enumerated() { key |= UInt64(byte | 0x20) << UInt64(8 * index) }
        return key
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    @inline(__always) private static func isNameByte(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
    @inline(__always) private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }

    /// Advances `position` to the next `<` or `&` (or the end), 8 bytes at a time where possible.
    private mutating func skipToSpecial() {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let less = word ^ (ones &* 0x3C)
            let amp = word ^ (ones &* 0x26)
            if ((less &- ones) & ~less | (amp &- ones) & ~amp) & highs != 0 { break }
            position += 8
        }
        while position < count, base[position] != 0x3C, base[position] != 0x26 { position += 1 }
    }

    // MARK: Detection

    mutating func findsMarkup() -> Bool {
        while true {
            skipToSpecial()
            guard position < bytes.count else { return false }
            let start = position
            position += 1
            if bytes[start] == 0x26 {
                if referenceEnd(from: start) != nil { return true }
                continue
            }
            guard position < bytes.count else { return false }
            let next = bytes[position]
            if next == UInt8(ascii: "/") { if position + 1 < bytes.count, Self.isLetter(bytes[position + 1]) { return true } }
            if next == UInt8(ascii: "!"), hasPrefix("!--", at: position) { return true }
            if Self.isLetter(next) {
                var end = position
                while end < bytes.count, Self.isNameByte(bytes[end]) { end += 1 }
                let follows = end < bytes.count ? bytes[end] : 0
                if Self.tags[Self.pack(bytes[position..<end])] != nil,
                   follows == UInt8(ascii: ">") || follows == UInt8(ascii: "/") || Self.isSpace(follows) { return true }
            }
        }
    }

    // MARK: Cleaning

    mutating func clean() -> [UInt8] {
        output.reserveCapacity(bytes.count)
        while position < bytes.count {
            let runStart = position
            skipToSpecial()
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
            guard position < bytes.count else { break }
            if bytes[position] == 0x26 { decodeReference() } else { readTag() }
        }
        return output
    }

    /// At `&`: appends the referenced character, or `&` itself when it is not a known reference.
    private mutating func decodeReference() {
        let start = position
        guard let (end, scalar) = referenceEnd(from: start) else {
            output.append(0x26)
            position += 1
            return
        }
        if scalar.value == 0xA0 {
            output.append(0x20)
        } else {
            output.append(contentsOf: String(Character(scalar)).utf8)
        }
        position = end
    }

    /// The end (after `;`) and value of the character reference starting at `start` (on `&`), if it is one.
    private func referenceEnd(from start: Int) -> (Int, Unicode.Scalar)? {
        var index = start + 1
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "#") {
            index += 1
            let hex = index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "x")
            if hex { index += 1 }
            let digitsStart = index
            var value: UInt32 = 0
            while index < bytes.count, index - digitsStart < 8 {
                let byte = bytes[index]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x61...0x66 where hex, 0x41...0x46 where hex: digit = UInt32((byte | 0x20) - 0x61 + 10)
                default: digit = 99
                }
                guard digit != 99 else { break }
                value = value * (hex ? 16 : 10) + digit
                index += 1
            }
            guard index > digitsStart, index < bytes.count, bytes[index] == UInt8(ascii: ";") else { return nil }
            if (0x80...0x9F).contains(value) { value = HTMLEntities.windows1252[Int(value - 0x80)] }
            return (index + 1, (value == 0 ? nil : Unicode.Scalar(value)) ?? "\u{FFFD}")
        }
        let nameStart = index
        while index < bytes.count, index - nameStart <= HTMLEntities.longestName, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > nameStart, index < bytes.count, bytes[index] == UInt8(ascii: ";"),
              let code = HTMLEntities.byName[String(decoding: bytes[nameStart..<index], as: UTF8.self)],
              let scalar = Unicode.Scalar(code) else { return nil }
        return (index + 1, scalar)
    }

    /// At `<`: drops a tag, comment or declaration (and a script's or style's content); keeps `<` as
    /// text when it starts none of them.
    private mutating func readTag() {
        let start = position
        let next = start + 1 < bytes.count ? bytes[start + 1] : 0
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
            if hasPrefix("!--", at: start + 1) {
                position = find(Array("-->".utf8), from: start + 4).map { $0 + 3 } ?? bytes.count
            } else {
                position = find([UInt8(ascii: ">")], from: start + 2).map { $0 + 1 } ?? bytes.count
            }
            return
        }
        let closing = next == UInt8(ascii: "/")
        let nameStart = start + (closing ? 2 : 1)
        guard nameStart < bytes.count, Self.isLetter(bytes[nameStart]) else {
            output.append(0x3C)
            position += 1
            return
        }
        var nameEnd = nameStart
        while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
        guard let end = tagEnd(from: nameEnd) else {
            output.append(0x3C)
            position += 1
            return
        }
        position = end
        switch Self.tags[Self.pack(bytes[nameStart..<nameEnd])] {
        case .block?:
            if let last = output.last, last != 0x0A { output.append(0x0A) }
        case .rawText? where !closing && bytes[end - 2] != UInt8(ascii: "/"):
            skipRawText(named: bytes[nameStart..<nameEnd])
        default:
            // Unknown elements are removed like inline ones, so text around them still joins.
            break
        }
    }

    /// After the tag name: the position after the `>` that ends the tag (quoted attribute values may hold
    /// `>`; an unbalanced quote falls back to the first `>`), nil when there is none.
    private func tagEnd(from index: Int) -> Int? {
        var quote: UInt8 = 0
        var cursor = index
        while cursor < bytes.count {
            let byte = bytes[cursor]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return cursor + 1
            }
            cursor += 1
        }
        return find([UInt8(ascii: ">")], from: index).map { $0 + 1 }
    }

    /// Skips a script's or style's content up to and including its closing tag (to the end if none).
    private mutating func skipRawText(named name: Slice<UnsafeBufferPointer<UInt8>>) {
        var cursor = position
        while let open = find(Array("</".utf8), from: cursor) {
            let nameStart = open + 2
            if nameStart + name.count <= bytes.count,
               zip(bytes[nameStart..<nameStart + name.count], name).allSatisfy({ $0 | 0x20 == $1 | 0x20 }),
               nameStart + name.count == bytes.count || !Self.isNameByte(bytes[nameStart + name.count]) {
                position = find([UInt8(ascii: ">")], from: nameStart).map { $0 + 1 } ?? bytes.count
                return
            }
            cursor = open + 2
        }
        position = bytes.count
    }

    private func hasPrefix(_ text: StaticString, at index: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
        return true
    }

    /// The first index ≥ `from` where `needle` starts.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from <= bytes.count - needle.count else { return nil }
        var index = from
        let first = needle[0]
        while index + needle.count <= bytes.count {
            if bytes[index] == first, needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index }
            index += 1
        }
        return nil
    }
}

import Foundation

/// Decodes one JSON Lines record (a JSON object) into an `Article`.
///
/// Hand-written because reading is on the hot path of every build: it scans the bytes once,
/// materializes only the fields SeeAlso uses (`id`, `title`, `body` or `text`, `date`, `url`,
/// `label`, `event`, `lang`, `categories`, `tags`, `section`, `author`, or the keys `--columns` maps them to) and validates but skips every other value. It accepts exactly RFC 8259
/// JSON; on bad input it reports the line and, where known, the field.
struct JSONRecordDecoder {
    let file: String
    let options: CorpusOptions
    /// Key → the field it fills (`text` fills the body of a record without a body key).
    private let keys: [String: RecordKey]

    private enum RecordKey { case field(ArticleField), text }

    init(file: String, options: CorpusOptions = CorpusOptions()) {
        self.file = file
        self.options = options
        // Default names for the fields not mapped, then the mapped keys (which win over a default name).
        var keys: [String: RecordKey] = [:]
        for field in ArticleField.allCases where options.columns[field] == nil { keys[field.rawValue] = .field(field) }
        if options.columns[.body] == nil { keys["text"] = .text }
        for (field, key) in options.columns { keys[key] = .field(field) }
        self.keys = keys
    }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> DecodedRecord {
        var scanner = JSONScanner(bytes: bytes)
        var fields = RecordFields()
        do {
            try scanner.parseObject { key, scanner in
                switch keys[key] {
                case .field(.id)?: fields.id = try scanner.parseScalarText(field: key)
                case .field(.title)?: fields.title = try scanner.parseOptionalString(field: key)
                case .field(.body)?: fields.body = try scanner.parseOptionalString(field: key)
                case .text?: fields.text = try scanner.parseOptionalString(field: key)
                case .field(.date)?: fields.date = try scanner.parseScalarText(field: key)
                case .field(.url)?: fields.url = try scanner.parseOptionalString(field: key)
                case .field(.label)?: fields.label = try scanner.parseScalarText(field: key)
                case .field(.event)?: fields.event = try scanner.parseScalarText(field: key)
                case .field(.lang)?: fields.lang = try scanner.parseOptionalString(field: key)
                case .field(let field)? where TaxonomyField(rawValue: field.rawValue) != nil:
                    fields.taxonomy[TaxonomyField(rawValue: field.rawValue)!] = try scanner.parseStringList(field: key)
                case .field?, nil: try scanner.skipValue()
                }
            }
        } catch let error as JSONScanError {
            return .invalid(error.corpusError(file: file, line: line))
        } catch {
            return .invalid(CorpusError(.malformedJSON, file: file, line: line, "\(error)"))
        }
        return fields.article(file: file, line: line, options: options)
    }
}

/// The raw string values of one record, before checks.
struct RecordFields {
    var id: String?
    var title: String?
    var body: String?
    var text: String?
    var date: String?
    var url: String?
    var label: String?
    var event: String?
    var lang: String?
    var taxonomy = ArticleTaxonomy()

    /// Checks the required fields and the date, cleans HTML (`options.html`; in `auto` mode a title is
    /// cleaned along with a body that looks like markup, or alone when it does), then builds the article.
    func article(file: String, line: Int, options: CorpusOptions) -> DecodedRecord {
        guard let id, !id.isEmpty else {
            return .invalid(CorpusError(.missingField, file: file, line: line, field: "id", "missing or empty id" + Self.source(of: .id, options)))
        }
        guard let body = body ?? text else {
            return .invalid(CorpusError(.missingField, file: file, line: line, field: "body",
                                        options.columns[.body] == nil ? "missing body (or text)" : "missing body" + Self.source(of: .body, options)))
        }
        var parsedDate: ArticleDate?
        if let date, !date.isEmpty {
            do {
                parsedDate = try ArticleDate(parsing: date, assuming: options.timeZone)
            } catch {
                return .invalid(CorpusError(.invalidDate, file: file, line: line, field: "date", error.description))
            }
        }
        let bodyIsHTML = options.html == .on || (options.html == .auto && HTMLText.looksLikeHTML(body))
        var title = title ?? ""
        if bodyIsHTML || (options.html == .auto && HTMLText.looksLikeHTML(title)) {
            title = HTMLText.clean(title).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return .article(Article(
            id: id, title: title, body: bodyIsHTML ? HTMLText.clean(body) : body, date: parsedDate,
            url: url.flatMap { $0.isEmpty ? nil : $0 }, label: label, event: event,
            language: lang.flatMap { $0.isEmpty ? nil : $0 }, taxonomy: taxonomy), line: line)
    }

    /// " (key 'K', mapped by --columns)" when `--columns` renames the field's key.
    private static func source(of field: ArticleField, _ options: CorpusOptions) -> String {
        options.columns[field].map { " (key '\($0)', mapped by --columns)" } ?? ""
    }
}

struct JSONScanError: Error {
    enum Kind { case syntax, utf8, type }
    var kind: Kind
    var field: String?
    var message: String
    var offset: Int

    func corpusError(file: String, line: Int) -> CorpusError {
        switch kind {
        case .syntax: return CorpusError(.malformedJSON, file: file, line: line, field: field, message + " at byte \(offset + 1)")
        case .utf8: return CorpusError(.invalidUTF8, file: file, line: line, field: field, message + " at byte \(offset + 1)")
        case .type: return CorpusError(.wrongType, file: file, line: line, field: field, message)
        }
    }
}

/// A cursor over one JSON text.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func fail(_ message: String, field: String? = nil, kind: JSONScanError.Kind = .syntax) -> JSONScanError {
        JSONScanError(kind: kind, field: field, message: message, offset: position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func describeCurrent() -> String {
        guard let byte = current else { return "end of line" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    /// Parses `{ "key": value, … }` and nothing after it but whitespace; `member` consumes each value.
    mutating func parseObject(_ member: (String, inout JSONScanner) throws -> Void) throws {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { throw fail("expected a JSON object, found \(describeCurrent())") }
        position += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a quoted key, found \(describeCurrent())") }
                let key = try parseString(field: nil)
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\", found \(describeCurrent())", field: key) }
                position += 1
                skipWhitespace()
                try member(key, &self)
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; break }
                throw fail("expected ',' or '}' after the value of \"\(key)\", found \(describeCurrent())", field: key)
            }
        }
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected \(describeCurrent()) after the object") }
    }

    /// A string, or nil for `null`.
    mutating func parseOptionalString(field: String) throws -> String? {
        switch current {
        case UInt8(ascii: "\""): return try parseString(field: field)
        case UInt8(ascii: "n"): try expectLiteral("null", field: field); return nil
        case nil: throw fail("missing value", field: field)
        default: throw fail("must be a string, found \(describeCurrent())", field: field, kind: .type)
        }
    }

    /// An array of strings, or one comma-separated string (`ArticleTaxonomy.values(ofList:)`), or `null` (no values).
    /// Values are trimmed; empty ones are dropped.
    mutating func parseStringList(field: String) throws -> [String] {
        guard current == UInt8(ascii: "[") else {
            return try parseOptionalString(field: field).map(ArticleTaxonomy.values(ofList:)) ?? []
        }
        position += 1
        var values: [String] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return values }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else {
                throw fail("must be an array of strings, found \(describeCurrent()) in it", field: field, kind: .type)
            }
            let value = try parseString(field: field).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values.append(value) }
            skipWhitespace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            if current == UInt8(ascii: "]") { position += 1; return values }
            throw fail("expected ',' or ']' in the array, found \(describeCurrent())", field: field)
        }
    }

    /// A string, or a number's text as written (`12` → "12"), or nil for `null`.
    mutating func parseScalarText(field: String) throws -> String? {
        guard let byte = current else { throw fail("missing value", field: field) }
        if byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) {
            let start = position
            try skipNumber(field: field)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        }
        return try parseOptionalString(field: field)
    }

    /// Whether any of 8 bytes is `"`, `\\` or a control character (< 0x20), by SWAR bit tricks:
    /// a byte b is zero iff (b - 1) & ~b has its high bit set, exactly for "some byte is zero".
    @inline(__always)
    static func mayHoldSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs != 0
    }

    /// Parses a JSON string at the cursor (which is on the opening quote). Runs without escapes are
    /// skipped 8 bytes at a time and copied in one piece. The bytes' high bits are gathered on the way:
    /// an all-ASCII string needs no UTF-8 validation.
    mutating func parseString(field: String?) throws -> String {
        position += 1
        let start = position
        var runStart = position
        var escaped = false
        var highBits: UInt64 = 0
        let count = bytes.count
        let base = bytes.baseAddress!
        while true {
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if JSONScanner.mayHoldSpecialByte(word) { break }
                highBits |= word
                position += 8
            }
            guard position < count else { throw fail("unterminated string", field: field) }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let isASCII = highBits & 0x8080_8080_8080_8080 == 0
                let text: String?
                if !escaped {
                    let run = UnsafeBufferPointer(start: base + start, count: position - start)
                    text = isASCII ? String(decoding: run, as: UTF8.self) : String(validating: run, as: UTF8.self)
                } else {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: position - runStart))
                    text = scratch.withUnsafeBufferPointer { isASCII ? String(decoding: $0, as: UTF8.self) : String(validating: $0, as: UTF8.self) }
                }
                guard let text else {
                    let raw = escaped ? Array(scratch) : Array(UnsafeBufferPointer(start: base + start, count: position - start))
                    throw JSONScanError(kind: .utf8, field: field, message: "invalid UTF-8 in string",
                                        offset: start + raw.withUnsafeBufferPointer { invalidUTF8Offset($0) })
                }
                position += 1
                return text
            }
            if byte < 0x20 { throw fail("unescaped control character 0x\(String(byte, radix: 16)) in string", field: field) }
            if byte != UInt8(ascii: "\\") {
                highBits |= UInt64(byte)
                position += 1
                continue
            }
            if !escaped {
                escaped = true
                scratch.removeAll(keepingCapacity: true)
            }
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: position - runStart))
            position += 1
            guard let escape = current else { throw fail("unterminated string", field: field) }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hexQuad(field: field)
                if (0xD800...0xDBFF).contains(scalar), position + 1 < count,
                   base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") {
                    let save = position
                    position += 2
                    let low = try hexQuad(field: field)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        position = save
                    }
                }
                // A lone surrogate cannot be UTF-8; it becomes U+FFFD (neither is a word character).
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                scratch.append(contentsOf: String(value).utf8)
                if !value.isASCII { highBits |= 0x80 }
            default:
                position -= 1
                throw fail("invalid escape \\\(describeCurrent())", field: field)
            }
            runStart = position
        }
    }

    private mutating func hexQuad(field: String?) throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape", field: field) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape", field: field)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func invalidUTF8Offset(_ raw: UnsafeBufferPointer<UInt8>) -> Int {
        var iterator = raw.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): consumed += UTF8.width(scalar)
            case .emptyInput, .error: return consumed
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString, field: String?) throws {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count,
              memcmp(bytes.baseAddress! + position, literal.utf8Start, count) == 0 else {
            throw fail("invalid literal, expected \(literal)", field: field)
        }
        position += count
    }

    private mutating func skipNumber(field: String?) throws {
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, first >= 0x30 && first <= 0x39 else { throw fail("invalid number", field: field) }
        position += 1
        if first != 0x30 { skipDigits() }
        if current == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw fail("invalid number: digits expected after '.'", field: field) }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw fail("invalid number: digits expected in exponent", field: field) }
        }
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = current, byte >= 0x30 && byte <= 0x39 { position += 1 }
        return position - start
    }

    /// Validates and skips any JSON value (nested objects and arrays included).
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < 512 else { throw fail("nesting deeper than 512 levels") }
        switch current {
        case UInt8(ascii: "\""):
            _ = try parseString(field: nil)
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw fail("expected a quoted key, found \(describeCurrent())") }
                _ = try parseString(field: nil)
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':', found \(describeCurrent())") }
                position += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "}") { position += 1; return }
                throw fail("expected ',' or '}', found \(describeCurrent())")
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                if current == UInt8(ascii: "]") { position += 1; return }
                throw fail("expected ',' or ']', found \(describeCurrent())")
            }
        case UInt8(ascii: "t"): try expectLiteral("true", field: nil)
        case UInt8(ascii: "f"): try expectLiteral("false", field: nil)
        case UInt8(ascii: "n"): try expectLiteral("null", field: nil)
        case nil: throw fail("missing value")
        default: try skipNumber(field: nil)
        }
    }
}

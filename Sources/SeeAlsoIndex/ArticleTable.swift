import SeeAlsoCorpus

/// The articles' metadata read in place from `articles.sal`: id, title, url, label, event and language
/// strings, dates (instant, precision and UTC offset), and the rows in id byte order for lookups by id.
struct ArticleTable: @unchecked Sendable {
    /// The string columns, each a section of `articles.sal` (empty string: absent).
    enum Field: Int, CaseIterable {
        case id, title, url, label, event, language

        var section: String { self == .language ? "lang" : "\(self)" }
    }

    private let strings: [StringTable]
    /// Seconds since 1970 (Int64.min: undated).
    let dates: UnsafeBufferPointer<Int64>
    private let dateHasTime: UnsafeBufferPointer<UInt8>
    /// Each date's UTC offset in seconds; nil for indexes written before offsets were kept (all UTC).
    private let dateOffsets: UnsafeBufferPointer<Int32>?
    private let idOrder: UnsafeBufferPointer<Int32>

    init(_ file: SectionFileReader) throws {
        strings = try Field.allCases.map { try file.strings($0.section) }
        dates = try file.array("date")
        dateHasTime = try file.array("dateHasTime")
        dateOffsets = file.has("dateOffset") ? try file.array("dateOffset") : nil
        idOrder = try file.array("idOrder")
        guard strings.allSatisfy({ $0.count == count }), dates.count == count, dateHasTime.count == count,
              dateOffsets.map({ $0.count == count }) ?? true, idOrder.count == count else {
            throw IndexError.corrupt(path: file.path, reason: "sections disagree on the number of articles")
        }
        let rows = Int32(idOrder.count)
        guard idOrder.allSatisfy({ (0..<rows).contains($0) }) else {
            throw IndexError.corrupt(path: file.path, reason: "idOrder names a row outside the \(rows) articles")
        }
    }

    var count: Int { strings[0].count }

    subscript(_ field: Field, row: Int) -> String { strings[field.rawValue][row] }

    /// The field's value, nil when empty.
    func optional(_ field: Field, _ row: Int) -> String? {
        let value = self[field, row]
        return value.isEmpty ? nil : value
    }

    func date(_ row: Int) -> ArticleDate? {
        dates[row] == Int64.min ? nil : ArticleDate(secondsSinceEpoch: dates[row], hasTime: dateHasTime[row] != 0,
                                                    utcOffsetSeconds: Int(dateOffsets?[row] ?? 0))
    }

    /// The row of the article with `id`. O(log n).
    func row(ofId id: String) -> Int? {
        var key = id
        return key.withUTF8 { strings[Field.id.rawValue].search($0, order: idOrder) }
    }
}

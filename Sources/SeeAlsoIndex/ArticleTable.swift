import Foundation
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
    /// The taxonomy fields present in this segment, each row's values joined by `valueSeparator`.
    private let taxonomy: [TaxonomyField: StringTable]
    /// Seconds since 1970 (Int64.min: undated).
    let dates: UnsafeBufferPointer<Int64>
    private let dateHasTime: UnsafeBufferPointer<UInt8>
    /// Each date's UTC offset in seconds; nil for indexes written before offsets were kept (all UTC).
    private let dateOffsets: UnsafeBufferPointer<Int32>?
    private let idOrder: UnsafeBufferPointer<Int32>

    init(_ file: SectionFileReader) throws {
        strings = try Field.allCases.map { try file.strings($0.section) }
        var taxonomy: [TaxonomyField: StringTable] = [:]
        for field in TaxonomyField.allCases where file.hasStrings(field.rawValue) { taxonomy[field] = try file.strings(field.rawValue) }
        self.taxonomy = taxonomy
        dates = try file.array("date")
        dateHasTime = try file.array("dateHasTime")
        dateOffsets = file.has("dateOffset") ? try file.array("dateOffset") : nil
        idOrder = try file.array("idOrder")
        guard strings.allSatisfy({ $0.count == count }), taxonomy.values.allSatisfy({ $0.count == count }), dates.count == count,
              dateHasTime.count == count, dateOffsets.map({ $0.count == count }) ?? true, idOrder.count == count else {
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

    /// The values of a taxonomy field (empty when the segment stores none).
    func values(_ field: TaxonomyField, _ row: Int) -> [String] {
        guard let table = taxonomy[field] else { return [] }
        let text = table[row]
        return text.isEmpty ? [] : text.split(separator: Self.valueSeparator).map(String.init)
    }

    /// Whether any of the row's values of `field` is in `wanted`.
    func hasAnyValue(_ field: TaxonomyField, _ row: Int, in wanted: Set<String>) -> Bool {
        values(field, row).contains(where: wanted.contains)
    }

    /// Between the values of one row's field: the unit separator (U+001F), which `joined` keeps out of values.
    static let valueSeparator: Character = "\u{1F}"

    /// The stored form of a field's values.
    static func joined(_ values: [String]) -> String {
        values.map { $0.replacingOccurrences(of: String(valueSeparator), with: " ") }.joined(separator: String(valueSeparator))
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

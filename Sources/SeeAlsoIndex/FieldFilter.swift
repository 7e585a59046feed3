import SeeAlsoCorpus

/// A field an article can be filtered on: its `label`, `lang`, or a taxonomy field.
public enum FilterField: Hashable, Sendable, CustomStringConvertible {
    case label
    case language
    case taxonomy(TaxonomyField)

    public static let allCases: [FilterField] = [.label, .language] + TaxonomyField.allCases.map { .taxonomy($0) }

    /// The field's name in input and output (`label`, `lang`, `categories`, `tags`, `section`, `author`).
    public var description: String {
        switch self {
        case .label: "label"
        case .language: "lang"
        case .taxonomy(let field): field.rawValue
        }
    }

    /// Reads a field name, singular or plural (`category` = `categories`, `tag` = `tags`, `authors` =
    /// `author`, `language` = `lang`), in any case.
    public init?(name: String) {
        switch name.lowercased() {
        case "label", "labels": self = .label
        case "lang", "language": self = .language
        case "categories", "category": self = .taxonomy(.categories)
        case "tags", "tag": self = .taxonomy(.tags)
        case "section", "sections": self = .taxonomy(.section)
        case "author", "authors": self = .taxonomy(.author)
        default: return nil
        }
    }
}

/// Keeps (`include`) or drops (`exclude`) the candidates with any of `values` in `field`.
///
/// Values match exactly (case and accents count). An article passes a list of filters when it
/// passes every one: each include filter needs one of its values present, each exclude filter
/// needs all of its values absent. An article without the field fails an include filter.
public struct FieldFilter: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case include, exclude }

    public var kind: Kind
    public var field: FilterField
    public var values: Set<String>

    public init(_ kind: Kind, _ field: FilterField, values: Set<String>) {
        self.kind = kind
        self.field = field
        self.values = values
    }

    /// Parses `FIELD=V1,V2` (or `FIELD:V1,V2`), as `--include`/`--exclude` and the service's
    /// `include`/`exclude` parameters write it; errors name the text and the known fields.
    public init(_ kind: Kind, parsing text: String) throws {
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw IndexError.invalid("\(kind.rawValue) filter '\(text)' is not FIELD=VALUE[,VALUE…] (e.g. categories=Politics,World)")
        }
        let name = text[..<separator].trimmingCharacters(in: .whitespaces)
        guard let field = FilterField(name: name) else {
            throw IndexError.invalid("\(kind.rawValue) filter '\(text)': unknown field '\(name)' "
                                     + "(fields: \(FilterField.allCases.map(\.description).joined(separator: ", ")))")
        }
        let values = ArticleTaxonomy.values(ofList: String(text[text.index(after: separator)...]))
        guard !values.isEmpty else { throw IndexError.invalid("\(kind.rawValue) filter '\(text)' names no value") }
        self.init(kind, field, values: Set(values))
    }

    /// Parses the texts of `--include` and `--exclude` options (each `FIELD=V1,V2`), includes first.
    public static func parse(include: [String], exclude: [String]) throws -> [FieldFilter] {
        try include.map { try FieldFilter(.include, parsing: $0) } + exclude.map { try FieldFilter(.exclude, parsing: $0) }
    }

    public var description: String { "\(field)=\(values.sorted().joined(separator: ","))" }
}

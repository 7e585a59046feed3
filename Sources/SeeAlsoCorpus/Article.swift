/// One article of an archive.
///
/// `id` is unique within a corpus. `title` may be empty; `body` is the text. The optional fields
/// come from the input when present: `label` (a topic or class), `event` (a gold story id),
/// `language` (an ISO 639-1 code such as "en"), and the CMS's taxonomy: `categories`, `tags`,
/// `section` and `author` (the byline's names).
public struct Article: Sendable, Hashable {
    public var id: String
    public var title: String
    public var body: String
    public var date: ArticleDate?
    public var url: String?
    public var label: String?
    public var event: String?
    public var language: String?
    public var taxonomy: ArticleTaxonomy

    public init(
        id: String, title: String = "", body: String, date: ArticleDate? = nil, url: String? = nil,
        label: String? = nil, event: String? = nil, language: String? = nil, taxonomy: ArticleTaxonomy = ArticleTaxonomy()
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.date = date
        self.url = url
        self.label = label
        self.event = event
        self.language = language
        self.taxonomy = taxonomy
    }
}

/// How a CMS files an article: each field holds zero or more values, in the input's order.
/// In input, a field is a JSON array of strings or one comma-separated string.
public typealias ArticleTaxonomy = TaxonomyFields<[String]>

/// One value for each taxonomy field: an article's values (`ArticleTaxonomy`), or a weight per field.
public struct TaxonomyFields<Value> {
    public var categories: Value
    public var tags: Value
    public var section: Value
    public var author: Value

    /// Every field set to `value`.
    public init(repeating value: Value) {
        (categories, tags, section, author) = (value, value, value, value)
    }

    /// The value of `field`.
    public subscript(field: TaxonomyField) -> Value {
        get {
            switch field {
            case .categories: categories
            case .tags: tags
            case .section: section
            case .author: author
            }
        }
        set {
            switch field {
            case .categories: categories = newValue
            case .tags: tags = newValue
            case .section: section = newValue
            case .author: author = newValue
            }
        }
    }
}

extension TaxonomyFields: Sendable where Value: Sendable {}
extension TaxonomyFields: Equatable where Value: Equatable {}
extension TaxonomyFields: Hashable where Value: Hashable {}
extension TaxonomyFields: Codable where Value: Codable {}

extension TaxonomyFields where Value == [String] {
    public init(categories: [String] = [], tags: [String] = [], section: [String] = [], author: [String] = []) {
        (self.categories, self.tags, self.section, self.author) = (categories, tags, section, author)
    }

    /// Splits a comma-separated value into trimmed, non-empty parts.
    public static func values(ofList text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// The multi-valued fields of `ArticleTaxonomy`, named as in input and JSON output.
public enum TaxonomyField: String, CaseIterable, Sendable, Codable {
    case categories, tags, section, author
}

/// The fields an input record can map to an `Article`.
public enum ArticleField: String, CaseIterable, Sendable {
    case id, title, body, date, url, label, event, lang, categories, tags, section, author
}

/// What an index keeps of an article: everything but the body.
public struct ArticleMetadata: Sendable, Hashable {
    public var id: String
    public var title: String
    public var date: ArticleDate?
    public var url: String?
    public var label: String?
    public var event: String?
    public var language: String?
    public var taxonomy: ArticleTaxonomy

    public init(_ article: Article) {
        id = article.id
        title = article.title
        date = article.date
        url = article.url
        label = article.label
        event = article.event
        language = article.language
        taxonomy = article.taxonomy
    }

    public init(id: String, title: String, date: ArticleDate?, url: String?, label: String?, event: String?, language: String?,
                taxonomy: ArticleTaxonomy = ArticleTaxonomy()) {
        self.id = id
        self.title = title
        self.date = date
        self.url = url
        self.label = label
        self.event = event
        self.language = language
        self.taxonomy = taxonomy
    }
}

/// An article encodes as one JSON Lines record of the input format (`id`, `title`, `body`, `date`,
/// `url`, `label`, `event`, `lang`, and `categories`, `tags`, `section`, `author` as arrays; absent or
/// empty fields omitted), so the readers read it back unchanged.
extension Article: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, title, body, date, url, label, event, language = "lang", categories, tags, section, author
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encodeIfPresent(date, forKey: .date)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(label, forKey: .label)
        try container.encodeIfPresent(event, forKey: .event)
        try container.encodeIfPresent(language, forKey: .language)
        for (field, key) in [(TaxonomyField.categories, CodingKeys.categories), (.tags, .tags), (.section, .section), (.author, .author)]
        where !taxonomy[field].isEmpty {
            try container.encode(taxonomy[field], forKey: key)
        }
    }
}

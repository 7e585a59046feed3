/// One article of an archive.
///
/// `id` is unique within a corpus. `title` may be empty; `body` is the text. The optional fields
/// come from the input when present: `label` (a topic or class), `event` (a gold story id),
/// `language` (an ISO 639-1 code such as "en").
public struct Article: Sendable, Hashable {
    public var id: String
    public var title: String
    public var body: String
    public var date: ArticleDate?
    public var url: String?
    public var label: String?
    public var event: String?
    public var language: String?

    public init(
        id: String, title: String = "", body: String, date: ArticleDate? = nil, url: String? = nil,
        label: String? = nil, event: String? = nil, language: String? = nil
    ) {
        self.id = id
        self.title = title
        self.body = body
        self.date = date
        self.url = url
        self.label = label
        self.event = event
        self.language = language
    }
}

/// The fields an input record can map to an `Article`.
public enum ArticleField: String, CaseIterable, Sendable {
    case id, title, body, date, url, label, event, lang
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

    public init(_ article: Article) {
        id = article.id
        title = article.title
        date = article.date
        url = article.url
        label = article.label
        event = article.event
        language = article.language
    }

    public init(id: String, title: String, date: ArticleDate?, url: String?, label: String?, event: String?, language: String?) {
        self.id = id
        self.title = title
        self.date = date
        self.url = url
        self.label = label
        self.event = event
        self.language = language
    }
}

/// An article encodes as one JSON Lines record of the input format (`id`, `title`, `body`, `date`,
/// `url`, `label`, `event`, `lang`; absent fields omitted), so the readers read it back unchanged.
extension Article: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, title, body, date, url, label, event, language = "lang"
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
    }
}

import SeeAlsoCorpus

/// How many times a token of the body and of each taxonomy field counts in tf (the title's is
/// `TfidfConfiguration.titleWeight`). A taxonomy field with weight 0 is not part of the text.
///
/// tf(t, d) = titleWeight · n_title(t) + body · n_body(t) + Σ_f weight(f) · n_f(t), where n_f counts t
/// in the values of field f, each value analyzed on its own (no n-gram spans two values).
public struct FieldWeights: Codable, Sendable, Equatable, CustomStringConvertible {
    public var body: Float = 1
    /// Each taxonomy field's weight (0: not in the text).
    public var taxonomy = TaxonomyFields<Float>(repeating: 0)

    public init() {}

    /// "body 1, tags 3": the body and every weighted taxonomy field.
    public var description: String {
        (["body \(body)"] + weightedTaxonomy.map { "\($0.field.rawValue) \($0.weight)" }).joined(separator: ", ")
    }

    /// The taxonomy fields that are part of the text (weight > 0), in `TaxonomyField` order.
    public var weightedTaxonomy: [(field: TaxonomyField, weight: Float)] {
        TaxonomyField.allCases.compactMap { taxonomy[$0] > 0 ? ($0, taxonomy[$0]) : nil }
    }
}

extension TfidfConfiguration {
    /// Applies `--field-weight` text such as `title=2,tags=3,body=1` (fields: title, body, categories,
    /// tags, section, author; singular names allowed); fields it does not name keep their weights.
    public mutating func setFieldWeights(parsing text: String) throws {
        var weights = fieldWeights ?? FieldWeights()
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let known = "title, body, " + TaxonomyField.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2, let weight = Float(parts[1]), weight.isFinite, weight >= 0 else {
                throw VectorizerError.invalidParameter(name: "field_weight", value: String(pair),
                                                       expected: "FIELD=WEIGHT with a finite weight ≥ 0 (fields: \(known))")
            }
            switch parts[0].lowercased() {
            case "title": titleWeight = weight
            case "body", "text": weights.body = weight
            case "categories", "category": weights.taxonomy.categories = weight
            case "tags", "tag": weights.taxonomy.tags = weight
            case "section", "sections": weights.taxonomy.section = weight
            case "author", "authors": weights.taxonomy.author = weight
            default:
                throw VectorizerError.invalidParameter(name: "field_weight", value: String(pair), expected: "a field among \(known)")
            }
        }
        fieldWeights = weights == FieldWeights() ? nil : weights
    }
}

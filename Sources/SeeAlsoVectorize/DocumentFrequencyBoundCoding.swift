import SeeAlsoText

/// JSON of a document-frequency bound (README "JSON output"): `{"count": 2}` or `{"fraction": 0.5}`
/// (a fraction of 1 is written `1`, so the key tells the two apart). Models and indexes written before
/// this shape (Swift's `{"fraction": {"_0": 0.5}}`) are still read.
extension DocumentFrequencyBound {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: LegacyChoiceCoding.Key.self)
        switch self {
        case .count(let count): try container.encode(count, forKey: LegacyChoiceCoding.Key("count"))
        case .fraction(let fraction): try container.encode(fraction, forKey: LegacyChoiceCoding.Key("fraction"))
        }
    }

    public init(from decoder: any Decoder) throws {
        let (key, value) = try LegacyChoiceCoding.singleKey(decoder)
        switch key {
        case "count": self = .count(try value.payload(Int.self))
        case "fraction": self = .fraction(try value.payload(Double.self))
        default: throw LegacyChoiceCoding.unknown(key, decoder)
        }
    }
}

import Foundation

/// Accent stripping, with scikit-learn's names: `unicode` applies NFKD and drops combining marks
/// (canonical combining class ≠ 0); `ascii` applies NFKD and drops every non-ASCII scalar.
public enum AccentStripping: String, Codable, Sendable, CaseIterable {
    case none, unicode, ascii
}

/// What one input scalar becomes after lowercasing and accent stripping, and which of the
/// resulting scalars are word characters.
///
/// A word character is what Python's `re` calls `\w` for a `str` pattern: a letter (general
/// category Lu, Ll, Lt, Lm, Lo), a scalar with a numeric value (Numeric_Type Decimal, Digit or
/// Numeric), or `_`. Lowercasing is Unicode's full mapping (`İ` → `i̇`), as Python's `str.lower`.
/// Results are cached per scalar: a direct table for the Basic Multilingual Plane, a dictionary above it.
struct ScalarMapper {
    let lowercase: Bool
    let stripAccents: AccentStripping
    /// Pool entry: count n, then n scalars, each with bit 31 set when it is a word character.
    private var pool: [UInt32] = [0]
    private var basicPlane: [UInt32]
    private var higherPlanes: [UInt32: UInt32] = [:]

    static let wordFlag: UInt32 = 1 << 31

    init(lowercase: Bool, stripAccents: AccentStripping) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        basicPlane = [UInt32](repeating: 0, count: 0x10000)
    }

    /// Offset of the pool entry for `scalar` (computed on first use).
    @inline(__always)
    mutating func entry(for scalar: UInt32) -> Int {
        if scalar < 0x10000 {
            let cached = basicPlane[Int(scalar)]
            if cached != 0 { return Int(cached) }
            let offset = compute(scalar)
            basicPlane[Int(scalar)] = UInt32(offset)
            return offset
        }
        if let cached = higherPlanes[scalar] { return Int(cached) }
        let offset = compute(scalar)
        higherPlanes[scalar] = UInt32(offset)
        return offset
    }

    @inline(__always)
    func count(at offset: Int) -> Int { Int(pool[offset]) }

    @inline(__always)
    func scalar(at offset: Int, _ index: Int) -> UInt32 { pool[offset + 1 + index] }

    private mutating func compute(_ value: UInt32) -> Int {
        let mapped = ScalarMapper.transform(value, lowercase: lowercase, stripAccents: stripAccents)
        let offset = pool.count
        pool.append(UInt32(mapped.count))
        for scalar in mapped {
            pool.append(scalar.value | (ScalarMapper.isWordCharacter(scalar) ? ScalarMapper.wordFlag : 0))
        }
        return offset
    }

    /// Lowercase (full mapping) then strip accents, for one scalar.
    static func transform(_ value: UInt32, lowercase: Bool, stripAccents: AccentStripping) -> [Unicode.Scalar] {
        guard let scalar = Unicode.Scalar(value) else { return ["\u{FFFD}"] }
        var scalars: [Unicode.Scalar] = lowercase ? Array(scalar.properties.lowercaseMapping.unicodeScalars) : [scalar]
        switch stripAccents {
        case .none:
            break
        case .unicode:
            scalars = scalars.flatMap { compatibilityDecomposition($0).filter { $0.properties.canonicalCombiningClass.rawValue == 0 } }
        case .ascii:
            scalars = scalars.flatMap { compatibilityDecomposition($0).filter { $0.isASCII } }
        }
        return scalars
    }

    /// NFKD of a single scalar.
    static func compatibilityDecomposition(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII { return [scalar] }
        return Array(String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars)
    }

    /// Python's `\w` for `str` patterns.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return scalar.properties.numericType != nil
        }
    }
}

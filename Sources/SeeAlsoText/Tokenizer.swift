/// Splits text into word tokens the way scikit-learn's default `token_pattern` `(?u)\b\w\w+\b`
/// does after its preprocessing (`lowercase`, then `strip_accents`): a token is a maximal run of
/// two or more word characters (see `ScalarMapper`), counted in Unicode scalars.
///
/// Lowercasing follows Python's `str.lower`, including the Greek final sigma rule (Σ becomes ς
/// after a cased letter when no cased letter follows). Known, documented differences from
/// Python come only from Unicode versions (Swift's tables are newer than Python 3.11's 14.0).
///
/// Works on UTF-8 bytes with an ASCII fast path; one tokenizer per thread (it caches mappings).
/// Cost: O(bytes) per text.
package struct Tokenizer {
    package let lowercase: Bool
    package let stripAccents: AccentStripping
    private var mapper: ScalarMapper
    /// ASCII byte → lowercased byte when it is a word character, 0 otherwise.
    private let asciiWord: [UInt8]

    package init(lowercase: Bool = true, stripAccents: AccentStripping = .none) {
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        mapper = ScalarMapper(lowercase: lowercase, stripAccents: stripAccents)
        var table = [UInt8](repeating: 0, count: 128)
        for byte in 0..<128 {
            let scalar = Unicode.Scalar(UInt8(byte))
            guard ScalarMapper.isWordCharacter(scalar) else { continue }
            table[byte] = lowercase && byte >= 0x41 && byte <= 0x5A ? UInt8(byte) + 32 : UInt8(byte)
        }
        asciiWord = table
    }

    /// Appends the tokens of `text` to `tokens`.
    package mutating func tokenize(_ text: String, into tokens: inout TokenBuffer) {
        var text = text
        text.withUTF8 { tokenize(utf8: $0, into: &tokens) }
    }

    /// The tokens of `text` as strings (convenient, slower than `tokenize(_:into:)`).
    package mutating func tokens(_ text: String) -> [String] {
        var buffer = TokenBuffer()
        tokenize(text, into: &buffer)
        return (0..<buffer.count).map { buffer.string(at: $0) }
    }

    /// Appends the tokens of valid UTF-8 `bytes` to `tokens`.
    package mutating func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>, into tokens: inout TokenBuffer) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return }
        let storage = tokens.raw
        // ASCII writes at most one byte per input byte (plus 8 for the last 8-byte store); the slow path
        // re-reserves before each scalar.
        storage.reserve(bytes: count + 8)
        var out = storage.bytes
        var written = storage.byteCount
        var ends = storage.ends
        var tokenCount = storage.tokenCount
        var tokenStart = written
        var characters = 0
        var index = 0
        let asciiTable = asciiWord
        asciiTable.withUnsafeBufferPointer { table in
            // Branch-free: whether a run of word characters is long enough to be a token is hard to predict.
            @inline(__always) func endToken() {
                let kept = characters >= 2
                ends[tokenCount] = Int32(written)
                tokenCount += kept ? 1 : 0
                written = kept ? written : tokenStart
                tokenStart = written
                characters = 0
            }
            while index < count {
                if index + 8 <= count {
                    // Eight bytes at a time: the leading run of ASCII word bytes is copied (lowercased) at once,
                    // and an ASCII byte ending it ends the token in the same step.
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    let (run, lowered) = Tokenizer.asciiWordRun(word, lowercase: lowercase)
                    UnsafeMutableRawPointer(out + written).storeBytes(of: lowered, as: UInt64.self)
                    written += run
                    characters += run
                    index += run
                    if run == 8 { continue }
                    if base[index] < 0x80 {
                        if characters > 0 { endToken() }
                        index += 1
                        continue
                    }
                }
                let byte = base[index]
                if byte < 0x80 {
                    let lowered = table[Int(byte)]
                    if lowered != 0 {
                        out[written] = lowered
                        written += 1
                        characters += 1
                    } else if characters > 0 {
                        endToken()
                    }
                    index += 1
                    continue
                }
                // Slow path: a non-ASCII scalar may expand (full lowercase, NFKD) to many bytes.
                storage.byteCount = written
                storage.tokenCount = tokenCount
                storage.reserve(bytes: (count - index) + 96)
                out = storage.bytes
                ends = storage.ends
                let (value, width) = decodeScalar(base, index, count)
                index += width
                if lowercase && value == 0x3A3 {
                    // Greek capital sigma: Python lowercases it to final ς or medial σ by context;
                    // ASCII accent stripping then deletes it like any other non-ASCII letter.
                    if stripAccents == .ascii { continue }
                    let final = isFinalSigma(base, count, start: index - width, end: index)
                    written += TokenBuffer.encode(final ? 0x3C2 : 0x3C3, at: out + written)
                    characters += 1
                    continue
                }
                let entry = mapper.entry(for: value)
                for item in 0..<mapper.count(at: entry) {
                    let mapped = mapper.scalar(at: entry, item)
                    if mapped & ScalarMapper.wordFlag != 0 {
                        written += TokenBuffer.encode(mapped & ~ScalarMapper.wordFlag, at: out + written)
                        characters += 1
                    } else if characters > 0 {
                        endToken()
                    }
                }
            }
            if characters > 0 { endToken() }
        }
        storage.byteCount = written
        storage.tokenCount = tokenCount
    }

    /// The number of leading (lowest-addressed) bytes of the little-endian `word` that are ASCII word
    /// characters ([0-9A-Za-z_]), and the word with its letters lowercased when `lowercase`. Each byte
    /// is classified with carry-free byte-wise additions on its low seven bits (SWAR).
    @inline(__always)
    static func asciiWordRun(_ word: UInt64, lowercase: Bool) -> (Int, UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7 = word & ~high
        let folded = low7 | 0x20 * ones
        let letter = (folded &+ 0x1F * ones) & ~(folded &+ 0x05 * ones) & high   // 'a'...'z' after folding
        let digit = (low7 &+ 0x50 * ones) & ~(low7 &+ 0x46 * ones) & high        // '0'...'9'
        let underscore = ~((low7 ^ 0x5F * ones) &+ 0x7F * ones) & high           // '_'
        let wordBytes = (letter | digit | underscore) & ~word                     // and ASCII
        let run = (~wordBytes & high).trailingZeroBitCount / 8
        return (run, lowercase ? word | letter >> 2 : word)
    }

    /// Decodes the (valid) UTF-8 scalar starting at `index`.
    @inline(__always)
    private func decodeScalar(_ base: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> (UInt32, Int) {
        let lead = UInt32(base[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0, index + 1 < count {
            return ((lead & 0x1F) << 6 | UInt32(base[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0, index + 2 < count {
            return ((lead & 0x0F) << 12 | UInt32(base[index + 1] & 0x3F) << 6 | UInt32(base[index + 2] & 0x3F), 3)
        }
        if index + 3 < count {
            return ((lead & 0x07) << 18 | UInt32(base[index + 1] & 0x3F) << 12
                    | UInt32(base[index + 2] & 0x3F) << 6 | UInt32(base[index + 3] & 0x3F), 4)
        }
        return (0xFFFD, count - index)
    }

    /// Python's Final_Sigma test: a cased letter before (skipping case-ignorable scalars) and none after.
    private func isFinalSigma(_ base: UnsafePointer<UInt8>, _ count: Int, start: Int, end: Int) -> Bool {
        var position = start
        var casedBefore = false
        while position > 0 {
            var lead = position - 1
            while lead > 0 && base[lead] & 0xC0 == 0x80 { lead -= 1 }
            let scalar = Unicode.Scalar(decodeScalar(base, lead, count).0) ?? " "
            position = lead
            if !scalar.properties.isCaseIgnorable {
                casedBefore = scalar.properties.isCased
                break
            }
        }
        guard casedBefore else { return false }
        position = end
        while position < count {
            let (value, width) = decodeScalar(base, position, count)
            let scalar = Unicode.Scalar(value) ?? " "
            position += width
            if !scalar.properties.isCaseIgnorable { return !scalar.properties.isCased }
        }
        return true
    }
}

/// Tokens as contiguous UTF-8 bytes with end offsets; reused across documents to avoid allocation.
///
/// Storage is raw memory grown by doubling, so the tokenizer's inner loop writes through a pointer
/// without per-byte capacity or uniqueness checks. Not copyable in a meaningful way: use one per thread.
package struct TokenBuffer {
    private let storage = TokenStorage()

    package init() {}

    /// Number of tokens.
    package var count: Int { storage.tokenCount }

    /// The token bytes, back to back.
    package var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage.bytes, count: storage.byteCount) }

    /// `ends[i]` is one past the last byte of token i; token i starts at `ends[i-1]` (or 0).
    package var ends: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: storage.ends, count: storage.tokenCount) }

    package func removeAll() {
        storage.byteCount = 0
        storage.tokenCount = 0
    }

    @inline(__always) package func start(of index: Int) -> Int { index == 0 ? 0 : Int(storage.ends[index - 1]) }

    /// The bytes of token `index`.
    @inline(__always) package func token(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = start(of: index)
        return UnsafeBufferPointer(start: storage.bytes + start, count: Int(storage.ends[index]) - start)
    }

    package func string(at index: Int) -> String { String(decoding: token(index), as: UTF8.self) }

    var raw: TokenStorage { storage }

    /// Writes `value` as UTF-8 at `destination`; returns the byte count (1-4).
    @inline(__always)
    static func encode(_ value: UInt32, at destination: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0x80 {
            destination[0] = UInt8(value)
            return 1
        }
        if value < 0x800 {
            destination[0] = UInt8(0xC0 | value >> 6)
            destination[1] = UInt8(0x80 | value & 0x3F)
            return 2
        }
        if value < 0x10000 {
            destination[0] = UInt8(0xE0 | value >> 12)
            destination[1] = UInt8(0x80 | value >> 6 & 0x3F)
            destination[2] = UInt8(0x80 | value & 0x3F)
            return 3
        }
        destination[0] = UInt8(0xF0 | value >> 18)
        destination[1] = UInt8(0x80 | value >> 12 & 0x3F)
        destination[2] = UInt8(0x80 | value >> 6 & 0x3F)
        destination[3] = UInt8(0x80 | value & 0x3F)
        return 4
    }
}

/// The raw memory behind a `TokenBuffer`. The bytes are initialized (zeroed when allocated) and
/// `paddingBytes` more than the capacity exist, so a token's first 16 bytes can always be loaded
/// (`TermDictionary.signature(paddedKey:)`).
final class TokenStorage {
    var bytes: UnsafeMutablePointer<UInt8>
    var byteCapacity = 4096
    var byteCount = 0
    var ends: UnsafeMutablePointer<Int32>
    var endCapacity = 1024
    var tokenCount = 0

    static let paddingBytes = 16

    init() {
        bytes = .allocate(capacity: byteCapacity + TokenStorage.paddingBytes)
        bytes.initialize(repeating: 0, count: byteCapacity + TokenStorage.paddingBytes)
        ends = .allocate(capacity: endCapacity)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    /// Makes room for `additional` more bytes and at least `additional / 2 + 1` more tokens.
    func reserve(bytes additional: Int) {
        Self.grow(&bytes, count: byteCount, capacity: &byteCapacity, needed: byteCount + additional, padding: TokenStorage.paddingBytes)
        Self.grow(&ends, count: tokenCount, capacity: &endCapacity, needed: tokenCount + additional / 2 + 1, padding: 0)
    }

    /// Reallocates `storage` (holding `count` elements) to at least `needed` elements, doubling, with
    /// `padding` more allocated; the elements past `count` are zeroed.
    private static func grow<Element: FixedWidthInteger>(_ storage: inout UnsafeMutablePointer<Element>, count: Int, capacity: inout Int,
                                                         needed: Int, padding: Int) {
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity * 2)
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity + padding)
        fresh.initialize(repeating: 0, count: newCapacity + padding)
        fresh.update(from: storage, count: count)
        storage.deallocate()
        storage = fresh
        capacity = newCapacity
    }
}

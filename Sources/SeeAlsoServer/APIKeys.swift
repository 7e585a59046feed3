import Crypto
import Foundation

/// The API keys a server accepts, read from a key file. The file keeps only a salted SHA-256 of each
/// key, one per line:
///
///     seealso-key-v1 <TAB> NAME <TAB> SALT (32 hex) <TAB> SHA-256(salt ‖ key) (64 hex)
///
/// Lines starting with `#` and blank lines are ignored. A key is "sa_" followed by 64 hex digits
/// (256 random bits), so one unsalted-speed hash suffices: it cannot be guessed, only stolen.
public struct APIKeys: Sendable {
    struct Entry: Sendable {
        let name: String
        let salt: [UInt8]
        let digest: [UInt8]
    }

    let entries: [Entry]
    static let lineTag = "seealso-key-v1"
    static let keyPrefix = "sa_"

    /// Reads the key file at `path`; throws `ServerError.keyFile` naming the file and line of any
    /// line that is not a key entry.
    public init(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServerError.keyFile(path: path, line: nil, "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ServerError.keyFile(path: path, line: nil, "not UTF-8 text")
        }
        var entries: [Entry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, fields[0] == Self.lineTag,
                  let salt = Self.bytes(hex: fields[2]), salt.count == 16,
                  let digest = Self.bytes(hex: fields[3]), digest.count == 32 else {
                throw ServerError.keyFile(path: path, line: number + 1,
                                          "expected \"\(Self.lineTag)<TAB>NAME<TAB>SALT<TAB>HASH\" as `seealso keys create` writes it")
            }
            entries.append(Entry(name: fields[1], salt: salt, digest: digest))
        }
        guard !entries.isEmpty else { throw ServerError.keyFile(path: path, line: nil, "holds no key") }
        self.entries = entries
    }

    /// The name of the key `presented` matches, or nil. Every entry is hashed and compared in
    /// constant time, whether or not an earlier one matched, so the time taken reveals nothing.
    public func name(ofKey presented: String) -> String? {
        let key = Array(presented.utf8)
        var matched: String?
        for entry in entries {
            let digest = Array(SHA256.hash(data: entry.salt + key))
            var difference: UInt8 = 0
            for (a, b) in zip(digest, entry.digest) { difference |= a ^ b }
            if difference == 0 { matched = entry.name }
        }
        return matched
    }

    /// Makes a new random key, appends its salted hash (and `name`) to the key file at `path`
    /// (creating it with mode 0600), and returns the key — the only time it is ever shown.
    public static func create(file path: String, name: String) throws -> String {
        guard !name.contains("\t"), !name.contains("\n"), !name.isEmpty else {
            throw ServerError.invalidOption("--name must be non-empty, without tabs or line breaks")
        }
        var generator = SystemRandomNumberGenerator()
        let key = keyPrefix + hex((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let digest = Array(SHA256.hash(data: salt + Array(key.utf8)))
        let line = [lineTag, name, hex(salt), hex(digest)].joined(separator: "\t") + "\n"
        if !FileManager.default.fileExists(atPath: path) {
            let header = "# SeeAlso API keys: salted SHA-256 hashes only (seealso keys create). One key per line.\n"
            guard FileManager.default.createFile(atPath: path, contents: Data(header.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ServerError.keyFile(path: path, line: nil, "cannot create the file")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ServerError.keyFile(path: path, line: nil, "cannot open for writing") }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
            try handle.synchronize()
        } catch {
            throw ServerError.keyFile(path: path, line: nil, "cannot append the key: \(error.localizedDescription)")
        }
        return key
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: text, as: UTF8.self)
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var result: [UInt8] = []
        for pair in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = hexValue(utf8[pair]), let low = hexValue(utf8[pair + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

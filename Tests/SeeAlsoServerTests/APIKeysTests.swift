import Foundation
import SeeAlsoServer
import SeeAlsoTestSupport
import Testing

@Suite struct APIKeysTests {
    @Test func aCreatedKeyIsAcceptedAndOnlyItsHashIsStored() throws {
        let scratch = try TemporaryDirectory("keys")
        defer { scratch.remove() }
        let file = scratch.path("keys")
        let first = try APIKeys.create(file: file, name: "cms")
        let second = try APIKeys.create(file: file, name: "newsletter")
        #expect(first != second)
        #expect(first.hasPrefix("sa_") && first.count == 67)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains(first.dropFirst(3)) && !text.contains(second.dropFirst(3)))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let keys = try APIKeys(file: file)
        #expect(keys.name(ofKey: first) == "cms")
        #expect(keys.name(ofKey: second) == "newsletter")
        #expect(keys.name(ofKey: String(first.dropLast()) + (first.last == "0" ? "1" : "0")) == nil)
        #expect(keys.name(ofKey: "") == nil)
    }

    @Test func aDamagedKeyFileNamesItsLine() throws {
        let scratch = try TemporaryDirectory("keys-bad")
        defer { scratch.remove() }
        let file = scratch.path("keys")
        _ = try APIKeys.create(file: file, name: "cms")
        let handle = try #require(FileHandle(forWritingAtPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("seealso-key-v1\tbroken\tzz\n".utf8))
        try handle.close()
        #expect { try APIKeys(file: file) } throws: { "\($0)".contains("\(file):3:") }
        #expect { try APIKeys(file: scratch.path("missing")) } throws: { "\($0)".contains("cannot read") }
        let empty = try scratch.write("empty", "# only a comment\n")
        #expect { try APIKeys(file: empty) } throws: { "\($0)".contains("holds no key") }
    }
}

import Testing
@testable import SeeAlsoCorpus
import SeeAlsoSupport

/// Stored article bodies: blocks round-trip, removing rows keeps the others in order and leaves
/// untouched blocks as they were, and damage is reported, never read past.
@Suite struct TextBlocksTests {
    static let bodies = (0..<50).map { "body \($0): " + String(repeating: "ünïcødé and ascii ", count: $0 % 7) }

    static func blocks() -> TextBlocks {
        var blocks = TextBlocks()
        for start in stride(from: 0, to: bodies.count, by: 12) {
            let run = bodies[start..<min(bodies.count, start + 12)]
            blocks.append(block: TextBlocks.compress(run), count: run.count)
        }
        return blocks
    }

    @Test func blocksRoundTrip() throws {
        let blocks = Self.blocks()
        #expect(blocks.count == 50 && blocks.counts == [12, 12, 12, 12, 2])
        #expect(try blocks.bodies() == Self.bodies)
        #expect(try TextBlocks.decompress(TextBlocks.compress([String]()), count: 0).isEmpty)
    }

    @Test func removingKeepsTheRestInOrder() throws {
        let blocks = Self.blocks()
        let removed = try blocks.removing(RowSet([0, 13, 14, 49]))
        #expect(try removed.bodies() == Self.bodies.enumerated().filter { ![0, 13, 14, 49].contains($0.offset) }.map(\.element))
        #expect(removed.blocks[2] == blocks.blocks[2] && removed.blocks[3] == blocks.blocks[3], "untouched blocks are kept as they are")
        #expect(try blocks.removing(RowSet()) == blocks)
    }

    @Test func damagedBlocksAreReported() throws {
        var block = TextBlocks.compress(Self.bodies.prefix(5))
        #expect(throws: TextBlockError.self) { try TextBlocks.decompress(block, count: 4) }
        block[block.count / 2] ^= 0xFF
        #expect(throws: TextBlockError.self) { try TextBlocks.decompress(block, count: 5) }
        var huge = TextBlocks.compress(Self.bodies.prefix(5))
        huge[7] = 0x7F   // claims an absurd raw length
        #expect(throws: TextBlockError.self) { try TextBlocks.decompress(huge, count: 5) }
        #expect(throws: TextBlockError.self) { try TextBlocks.decompress([1, 2, 3], count: 1) }
    }
}

import CZlib
import SeeAlsoSupport

/// Article bodies kept with an index so that its model can be refitted from the index alone: runs of
/// consecutive bodies (one per batch the vectorizer reads), each run one zlib stream (level 1, about
/// 3:1 on news text).
///
/// A block is the little-endian UInt64 length of its raw bytes, then the zlib stream of the raw bytes:
/// for each body, its UTF-8 length as a little-endian UInt32, then its bytes. Blocks compress and
/// decompress independently, so building compresses them on every worker and readers decompress only
/// the blocks they need.
package struct TextBlocks: Sendable, Equatable {
    package private(set) var blocks: [[UInt8]] = []
    /// Bodies in each block.
    package private(set) var counts: [Int] = []

    package init() {}

    package init(blocks: [[UInt8]], counts: [Int]) {
        precondition(blocks.count == counts.count, "TextBlocks: one count per block")
        self.blocks = blocks
        self.counts = counts
    }

    /// Bodies in all blocks.
    package var count: Int { counts.reduce(0, +) }

    package mutating func append(block: [UInt8], count: Int) {
        guard count > 0 else { return }
        blocks.append(block)
        counts.append(count)
    }

    package mutating func append(_ other: TextBlocks) {
        for (block, count) in zip(other.blocks, other.counts) { append(block: block, count: count) }
    }

    /// Every body, in order, decompressing the blocks on all workers.
    package func bodies() throws -> [String] {
        let decoded = Locked([Int: [String]]())
        let failure = Locked<TextBlockError?>(nil)
        Parallelism.forEachDynamic(blocks.count, workers: Parallelism.workerCount) { index, _ in
            do {
                let bodies = try Self.decompress(blocks[index], count: counts[index])
                decoded.withLock { $0[index] = bodies }
            } catch {
                failure.withLock { $0 = error as? TextBlockError ?? TextBlockError(reason: "\(error)") }
            }
        }
        if let error = failure.value { throw error }
        let parts = decoded.value
        return (0..<blocks.count).flatMap { parts[$0]! }
    }

    /// These bodies without those at `positions` (0-based over all blocks): a block holding none of
    /// them is kept as it is, the others are decompressed, filtered and compressed again, one block at a
    /// time on all workers (memory: a few blocks, not the text). O(text of the blocks touched).
    package func removing(_ positions: RowSet) throws -> TextBlocks {
        guard !positions.isEmpty else { return self }
        var starts = [0]
        for count in counts { starts.append(starts.last! + count) }
        let firsts = starts
        let rebuilt = Locked([Int: (block: [UInt8], count: Int)]())
        let failure = Locked<TextBlockError?>(nil)
        Parallelism.forEachDynamic(blocks.count, workers: Parallelism.workerCount) { index, _ in
            let range = firsts[index]..<firsts[index + 1]
            guard range.contains(where: positions.contains) else { return }
            do {
                let bodies = try Self.decompress(blocks[index], count: counts[index])
                let kept = range.filter { !positions.contains($0) }.map { bodies[$0 - range.lowerBound] }
                let block = Self.compress(kept)
                rebuilt.withLock { $0[index] = (block, kept.count) }
            } catch {
                failure.withLock { $0 = error as? TextBlockError ?? TextBlockError(reason: "\(error)") }
            }
        }
        if let error = failure.value { throw error }
        var result = TextBlocks()
        let replaced = rebuilt.value
        for index in blocks.indices {
            if let block = replaced[index] { result.append(block: block.block, count: block.count) } else { result.append(block: blocks[index], count: counts[index]) }
        }
        return result
    }

    /// One block of `bodies`.
    package static func compress(_ bodies: some Sequence<String>) -> [UInt8] {
        var raw: [UInt8] = []
        for body in bodies {
            var body = body
            body.withUTF8 { bytes in
                let length = UInt32(bytes.count)
                for shift in stride(from: 0, to: 32, by: 8) { raw.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
                raw.append(contentsOf: bytes)
            }
        }
        var block = [UInt8](repeating: 0, count: 8)
        for shift in 0..<8 { block[shift] = UInt8(truncatingIfNeeded: UInt64(raw.count) >> UInt64(8 * shift)) }
        var bound = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        let status = compressed.withUnsafeMutableBufferPointer { output in
            raw.withUnsafeBufferPointer { input in
                compress2(output.baseAddress, &bound, input.baseAddress, uLong(input.count), 1)
            }
        }
        precondition(status == Z_OK, "TextBlocks: zlib compress2 failed (\(status)) with a bound-sized buffer")
        block.append(contentsOf: compressed.prefix(Int(bound)))
        return block
    }

    /// The `count` bodies of one block; throws when the block is damaged.
    package static func decompress(_ block: some Collection<UInt8>, count: Int) throws -> [String] {
        let bytes = Array(block)
        guard bytes.count >= 8 else { throw TextBlockError(reason: "a block of \(bytes.count) bytes has no length") }
        var rawLength: UInt64 = 0
        for shift in 0..<8 { rawLength |= UInt64(bytes[shift]) << UInt64(8 * shift) }
        // zlib expands at most about 1032:1; a larger claim is damage, not text.
        guard rawLength <= UInt64(bytes.count) * 1032 + 64 else { throw TextBlockError(reason: "a block claims \(rawLength) bytes") }
        var raw = [UInt8](repeating: 0, count: Int(rawLength))
        var produced = uLong(rawLength)
        let status = raw.withUnsafeMutableBufferPointer { output in
            bytes.withUnsafeBufferPointer { input in
                uncompress(output.baseAddress, &produced, input.baseAddress! + 8, uLong(input.count - 8))
            }
        }
        guard status == Z_OK, produced == uLong(rawLength) else { throw TextBlockError(reason: "zlib status \(status)") }
        var bodies: [String] = []
        bodies.reserveCapacity(count)
        var position = 0
        while position < raw.count {
            guard position + 4 <= raw.count else { throw TextBlockError(reason: "a body length runs past the block") }
            var length = 0
            for shift in 0..<4 { length |= Int(raw[position + shift]) << (8 * shift) }
            position += 4
            guard position + length <= raw.count else { throw TextBlockError(reason: "a body runs past the block") }
            bodies.append(String(decoding: raw[position..<position + length], as: UTF8.self))
            position += length
        }
        guard bodies.count == count else { throw TextBlockError(reason: "\(bodies.count) bodies in a block of \(count)") }
        return bodies
    }
}

/// A damaged text block.
package struct TextBlockError: Error, CustomStringConvertible, Sendable {
    package var reason: String
    package var description: String { "damaged article texts: \(reason)" }
}

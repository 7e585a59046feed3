import CZlib

/// A read-only memory map of a whole file; pages load on first touch, so opening is O(1).
package final class MappedFile: @unchecked Sendable {
    package let path: String
    package let bytes: UnsafeRawBufferPointer

    package init(path: String) throws {
        self.path = path
        let file = try FileDescriptor.open(path, .readOnly)
        defer { try? file.close() }
        bytes = try System.mapReadOnly(file, size: try file.size())
    }

    deinit { System.unmap(bytes) }
}

/// CRC-32 (the zlib/gzip polynomial) of a byte range, via zlib. About 1–4 GB/s.
package enum CRC32 {
    package static func checksum(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = UInt(previous)
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            crc = crc32(crc, bytes.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), UInt32(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}

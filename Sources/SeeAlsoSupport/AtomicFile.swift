import Foundation

/// Writes a file so that readers see either the old content or the complete new one, never a part:
/// the data go to a temporary file beside the target, are flushed to disk (fsync), and the
/// temporary is renamed over the target. An interrupted write leaves the old file intact.
public final class AtomicFileWriter {
    public let path: String
    public let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var finished = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw AtomicWriteError(path: path, reason: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ text: String) throws { try write(text.utf8) }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws {
        try flush()
        try handle.synchronize()
        try handle.close()
        guard rename(temporaryPath, path) == 0 else {
            throw AtomicWriteError(path: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        finished = true
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: some Sequence<UInt8>, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(data)
        try writer.commit()
    }
}

public struct AtomicWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

import Foundation

/// Progress of long work, written to standard error so that standard output stays machine-readable.
///
/// On a terminal the line is redrawn in place at most every 0.2 s; otherwise a line is written
/// at most every 5 s. `ProgressReporter.isEnabled = false` (the CLI's `--quiet`) silences it.
public final class ProgressReporter: @unchecked Sendable {
    nonisolated(unsafe) public static var isEnabled = true

    private let label: String
    private let total: Int?
    private let unit: String
    private let clock = Stopwatch()
    private let lock = NSLock()
    private var done = 0
    private var lastDraw = -1.0
    private let interactive = isatty(2) != 0

    public init(_ label: String, total: Int? = nil, unit: String = "articles") {
        self.label = label
        self.total = total
        self.unit = unit
    }

    /// Adds `count` finished units and redraws when due. Thread-safe.
    public func advance(by count: Int = 1) {
        lock.lock()
        done += count
        let now = clock.seconds
        let due = now - lastDraw >= (interactive ? 0.2 : 5.0)
        if due { lastDraw = now }
        let snapshot = done
        lock.unlock()
        if due && ProgressReporter.isEnabled && now > 0.5 { draw(snapshot, seconds: now, final: false) }
    }

    /// Writes the final line with the elapsed time.
    public func finish(_ note: String = "") {
        guard ProgressReporter.isEnabled else { return }
        lock.lock(); let snapshot = done; lock.unlock()
        draw(snapshot, seconds: clock.seconds, final: true, note: note)
    }

    /// Writes one message line to standard error (respects `isEnabled`).
    public static func note(_ message: String) {
        guard isEnabled else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    private func draw(_ count: Int, seconds: Double, final: Bool, note: String = "") {
        var text = "\(label): \(count)"
        if let total { text += "/\(total)" }
        text += " \(unit)"
        if seconds > 0 { text += String(format: " (%.1f s, %.0f/s)", seconds, Double(count) / seconds) }
        if !note.isEmpty { text += " " + note }
        let line = interactive ? "\r\u{1B}[K" + text + (final ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

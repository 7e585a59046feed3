import Foundation

/// Receives the progress of long work (reading, vectorizing, computing lists) and short notes.
///
/// SeeAlso's library never writes to standard error itself: every operation that takes a while
/// accepts a reporter. Pass ``SilentProgress`` to hear nothing, ``StandardErrorProgress`` for the
/// lines the `seealso` command prints, or your own type (a log, a metrics gauge, a progress bar).
/// Calls may come from several threads at once.
public protocol ProgressReporter: Sendable {
    /// The shortest time, in seconds, between two `update` calls for one task (the final call is
    /// always made).
    var updateInterval: Double { get }
    /// The state of one task: called at most every `updateInterval` seconds, and once when it finishes.
    func update(_ progress: TaskProgress)
    /// A one-line message: a measured figure, skipped input records, advice.
    func note(_ message: String)
}

/// Where one task of a long operation stands.
public struct TaskProgress: Sendable, Equatable {
    /// What is being done, e.g. "read and vectorize".
    public var label: String
    /// Units done so far.
    public var done: Int
    /// Units in all, when known.
    public var total: Int?
    /// What a unit is, e.g. "articles".
    public var unit: String
    /// Seconds since the task started.
    public var seconds: Double
    public var isFinished: Bool
    /// Extra words for the final update (e.g. stage timings).
    public var detail: String
}

/// A reporter that drops everything.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public var updateInterval: Double { .infinity }
    public func update(_ progress: TaskProgress) {}
    public func note(_ message: String) {}
}

/// No progress lines, but notes (skipped records, advice) still on standard error: what `--quiet`
/// gives, so that quiet runs do not hide what was left out of an archive.
public struct NotesOnlyProgress: ProgressReporter {
    public init() {}
    public var updateInterval: Double { .infinity }
    public func update(_ progress: TaskProgress) {}
    public func note(_ message: String) { StandardErrorProgress().note(message) }
}

/// Progress lines on standard error, so that standard output stays machine-readable: on a terminal
/// the line is redrawn in place at most every 0.2 s; otherwise a line is written at most every 5 s.
public struct StandardErrorProgress: ProgressReporter {
    private let interactive: Bool

    public init() { interactive = System.standardErrorIsTerminal }

    public var updateInterval: Double { interactive ? 0.2 : 5 }

    public func update(_ progress: TaskProgress) {
        guard progress.isFinished || progress.seconds > 0.5 else { return }
        var text = "\(progress.label): \(progress.done)"
        if let total = progress.total { text += "/\(total)" }
        text += " \(progress.unit)"
        if progress.seconds > 0 {
            text += String(format: " (%.1f s, %.0f/s)", progress.seconds, Double(progress.done) / progress.seconds)
        }
        if !progress.detail.isEmpty { text += " " + progress.detail }
        let line = interactive ? "\r\u{1B}[K" + text + (progress.isFinished ? "\n" : "") : text + "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// One task's counter: thread-safe, throttled to the reporter's update interval.
package final class ProgressTask: @unchecked Sendable {
    private let reporter: any ProgressReporter
    private let interval: Double
    private let clock = Stopwatch()
    private let lock = NSLock()
    private var state: TaskProgress
    private var lastUpdate = -Double.infinity

    package init(_ label: String, total: Int? = nil, unit: String = "articles", reporter: any ProgressReporter) {
        self.reporter = reporter
        interval = reporter.updateInterval
        state = TaskProgress(label: label, done: 0, total: total, unit: unit, seconds: 0, isFinished: false, detail: "")
    }

    /// Adds `count` finished units and reports when due.
    package func advance(by count: Int = 1) {
        lock.lock()
        state.done += count
        let now = clock.seconds
        guard now - lastUpdate >= interval else {
            lock.unlock()
            return
        }
        lastUpdate = now
        state.seconds = now
        let snapshot = state
        lock.unlock()
        reporter.update(snapshot)
    }

    /// Reports the final state with the elapsed time.
    package func finish(_ detail: String = "") {
        lock.lock()
        state.seconds = clock.seconds
        state.isFinished = true
        state.detail = detail
        let snapshot = state
        lock.unlock()
        reporter.update(snapshot)
    }
}

extension ProgressReporter {
    /// A counter for one task of this reporter.
    package func task(_ label: String, total: Int? = nil, unit: String = "articles") -> ProgressTask {
        ProgressTask(label, total: total, unit: unit, reporter: self)
    }
}

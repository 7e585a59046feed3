import Foundation

/// Process resource figures for progress lines and benchmarks.
public enum ResourceUsage {
    /// Peak resident set size of this process in bytes (`VmHWM` in /proc/self/status), or nil off Linux.
    public static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }

    /// User plus system CPU time of this process so far, in seconds.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}

/// A monotonic stopwatch in seconds.
public struct Stopwatch: Sendable {
    private let start = DispatchTime.now().uptimeNanoseconds
    public init() {}
    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// Wall-clock durations of named stages, in the order they ran (for `seealso bench` and reports).
public struct StageTimings: Sendable, CustomStringConvertible {
    public private(set) var stages: [(name: String, seconds: Double)] = []
    private var clock = Stopwatch()

    public init() {}

    /// Ends the current stage under `name` and starts the next one.
    public mutating func lap(_ name: String) {
        stages.append((name, clock.seconds))
        clock = Stopwatch()
    }

    public var description: String {
        stages.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }.joined(separator: ", ")
    }
}

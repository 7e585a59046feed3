import Foundation

/// Process resource figures for progress lines and benchmarks.
package enum ResourceUsage {
    /// Peak resident set size of this process in bytes (`VmHWM` in /proc/self/status), or nil off Linux.
    package static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.dropFirst("VmHWM:".count).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }

    /// User plus system CPU time of this process so far, in seconds.
    package static func cpuSeconds() -> Double { System.cpuSeconds() }
}

/// A monotonic stopwatch in seconds.
package struct Stopwatch: Sendable {
    private let start = DispatchTime.now().uptimeNanoseconds
    package init() {}
    package var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// Wall-clock durations and process CPU seconds of named stages, in the order they ran (for build
/// reports, `seealso bench` and the serial fractions of Benchmarks' threads stage: CPU / wall near the
/// worker count means a stage uses every worker, near 1 that it runs on one).
package struct StageTimings: Sendable, CustomStringConvertible {
    package private(set) var stages: [(name: String, seconds: Double, cpuSeconds: Double)] = []
    private var clock = Stopwatch()
    private var cpuAtStart = ResourceUsage.cpuSeconds()

    package init() {}

    /// Ends the current stage under `name` and starts the next one.
    package mutating func lap(_ name: String) {
        let cpu = ResourceUsage.cpuSeconds()
        stages.append((name, clock.seconds, cpu - cpuAtStart))
        clock = Stopwatch()
        cpuAtStart = cpu
    }

    package var description: String {
        stages.map { "\($0.name) \(String(format: "%.3f", $0.seconds)) s" }.joined(separator: ", ")
    }
}

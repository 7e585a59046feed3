import SeeAlsoSupport

/// Wall and CPU seconds of one stage of a long operation, and the process's peak resident memory
/// after it.
public struct StageFigure: Sendable, Codable, Equatable {
    public var name: String
    public var seconds: Double
    public var cpuSeconds: Double
    public var peakResidentBytesAfter: Int

    enum CodingKeys: String, CodingKey {
        case name, cpuSeconds, peakResidentBytesAfter
        case seconds = "wallSeconds"
    }
}

/// Records consecutive stages (`lap` ends one and starts the next).
struct StageRecorder {
    private(set) var stages: [StageFigure] = []
    private var clock = Stopwatch()
    private var cpu = ResourceUsage.cpuSeconds()

    mutating func lap(_ name: String) {
        let now = ResourceUsage.cpuSeconds()
        stages.append(StageFigure(name: name, seconds: clock.seconds, cpuSeconds: now - cpu,
                                  peakResidentBytesAfter: ResourceUsage.peakResidentBytes() ?? 0))
        clock = Stopwatch()
        cpu = now
    }

    var totalSeconds: Double { stages.reduce(0) { $0 + $1.seconds } }
}

import Foundation
import SeeAlsoSupport

/// The `seealso` executable that `swift build` puts beside the test bundle, run as a child process.
package enum SeeAlsoExecutable {
    /// What a run of the executable produced.
    package struct Run: Sendable {
        package var status: Int32
        package var output: String
        package var error: String
        /// False when a signal ended the process (a crash or a kill).
        package var exited: Bool
    }

    package static func locate() -> URL? {
        var starts: [URL] = [Bundle.main.bundleURL, Bundle.main.executableURL ?? Bundle.main.bundleURL]
        if let first = CommandLine.arguments.first { starts.append(URL(fileURLWithPath: first)) }
        for start in starts {
            var folder = start.resolvingSymlinksInPath()
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent("seealso")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }

    package static func require() throws -> URL {
        guard let url = locate() else {
            throw TestSupportError("the seealso executable is not beside the test bundle (\(Bundle.main.bundleURL.path)): "
                                   + "run `swift build` (which builds it) before `swift test`")
        }
        return url
    }

    /// Runs seealso with `arguments` to completion; `environment` adds to (or replaces in) the inherited one.
    package static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = try require()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes concurrently so that a full pipe cannot block the child.
        let errorData = Locked(Data())
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let data = error.fileHandleForReading.readDataToEndOfFile()
            errorData.withLock { $0 = data }
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                   error: String(decoding: errorData.value, as: UTF8.self), exited: process.terminationReason == .exit)
    }

    /// The standard output of a run that must succeed; throws with its standard error otherwise.
    @discardableResult
    package static func output(_ arguments: [String]) throws -> String {
        let run = try run(arguments)
        guard run.exited && run.status == 0 else {
            throw TestSupportError("seealso \(arguments.joined(separator: " ")) \(run.exited ? "exited \(run.status)" : "was killed by signal \(run.status)"): \(run.error.prefix(2000))")
        }
        return run.output
    }
}

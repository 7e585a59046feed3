import Foundation
import SeeAlsoTestSupport

/// libFuzzer's entry for a program with its own `main` (SwiftPM renames an executable's `main`, so
/// libFuzzer's own `main` cannot be used): it parses libFuzzer's options and runs the fuzzing loop.
@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(_ argc: UnsafeMutablePointer<CInt>,
                          _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                          _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The function under test; set once before libFuzzer starts and read only by libFuzzer's thread.
nonisolated(unsafe) private var fuzzedFunction: ([UInt8]) -> Void = { _ in }

/// The command line of every fuzz target: `TARGET --write-seeds DIR` writes the target's generated seed
/// inputs to DIR; anything else is handed to libFuzzer (`TARGET [OPTIONS] CORPUS...`).
package enum FuzzDriver {
    package static func main(seeds: (TemporaryDirectory) throws -> [[UInt8]], fuzz: @escaping ([UInt8]) -> Void) -> Never {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == "--write-seeds" {
            do {
                try writeSeeds(try withTemporaryDirectory("fuzz-seeds", seeds), to: arguments[2])
                exit(0)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                exit(1)
            }
        }
        fuzzedFunction = fuzz
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runLibFuzzer(&argc, &argv, testOneInput))
    }

    private static func writeSeeds(_ seeds: [[UInt8]], to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (number, seed) in seeds.enumerated() {
            try Data(seed).write(to: URL(fileURLWithPath: folder).appendingPathComponent("seed-\(number)"))
        }
    }

}

/// libFuzzer's callback: runs the function under test on a copy of the input. (libFuzzer's library
/// refers to it by this name even when the driver is given it.)
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzedFunction(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

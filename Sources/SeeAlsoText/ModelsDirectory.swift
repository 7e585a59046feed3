import Foundation

/// Where SeeAlso's language resources (the `Models/` folder: stop-word lists, …) are found.
///
/// The folder named by the environment variable `SEEALSO_MODELS` when it is set (and only it); else,
/// in order, a `Models` folder beside the executable or in `../share/seealso/` next to it (an
/// installed copy), then the source checkout's `Models/`, whose path `swift build` compiles in, so a
/// built `seealso` works from any working directory. Only `build`, `vectorize` and `--refit` of an
/// index built before 0.9 read it: models and indexes keep the lists they were fitted with.
package enum ModelsDirectory {
    package static let url: URL? = locate()

    /// The file at `relativePath` inside the models folder, if it exists.
    package static func file(_ relativePath: String) -> URL? {
        guard let url else { return nil }
        let file = url.appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }

    /// Every place searched, for error messages.
    package static var searched: [String] { candidates().map(\.path) }

    private static func locate() -> URL? {
        candidates().first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.appendingPathComponent("stopwords").path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    private static func candidates() -> [URL] {
        var urls: [URL] = []
        if let override = ProcessInfo.processInfo.environment["SEEALSO_MODELS"], !override.isEmpty {
            return [URL(fileURLWithPath: override)]
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        urls.append(executable.appendingPathComponent("Models"))
        urls.append(executable.deletingLastPathComponent().appendingPathComponent("share/seealso/Models"))
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        urls.append(checkout.appendingPathComponent("Models"))
        return urls
    }
}

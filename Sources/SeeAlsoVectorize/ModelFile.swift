import Foundation
import SeeAlsoSupport

/// The standalone model file written by `seealso vectorize --output`: JSON with a format name and
/// version, the configuration, n, the vocabulary (column order) and the idf vector.
///
/// Version 2 added field weights (`configuration.fieldWeights`); a model without them is written as
/// version 1, which earlier releases read. Readers refuse other format names and newer versions with an
/// error naming the file.
package enum ModelFile {
    package static let formatName = "seealso-tfidf-model"
    package static let version = 2

    /// Read first, so that a newer version is reported as such even when the rest would not decode.
    private struct Header: Decodable {
        var format: String
        var version: Int
    }

    struct Contents: Codable {
        var format: String
        var version: Int
        var configuration: TfidfConfiguration
        var documentCount: Int
        var vocabulary: [String]
        var idf: [Double]
    }

    /// Writes `model` to `path` atomically.
    package static func save(_ model: TfidfModel, to path: String) throws {
        let contents = Contents(format: formatName, version: model.configuration.fieldWeights == nil ? 1 : version, configuration: model.configuration,
                                documentCount: model.documentCount, vocabulary: model.vocabulary, idf: model.idf)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFileWriter.write(try encoder.encode(contents), to: path)
    }

    /// Reads a model written by `save`.
    package static func load(_ path: String) throws -> TfidfModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VectorizerError.badModelFile(path: path, reason: "cannot read the file")
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw VectorizerError.badModelFile(path: path, reason: "not a SeeAlso model file (\(error))")
        }
        guard header.format == formatName else {
            throw VectorizerError.badModelFile(path: path, reason: "format is \"\(header.format)\", expected \"\(formatName)\"")
        }
        guard header.version <= version else {
            throw VectorizerError.badModelFile(path: path, reason: "version \(header.version) is newer than this seealso \(SeeAlsoVersion.current) reads "
                                               + "(\(version)): upgrade seealso")
        }
        let contents: Contents
        do {
            contents = try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw VectorizerError.badModelFile(path: path, reason: "not a SeeAlso model file (\(error))")
        }
        guard contents.vocabulary.count == contents.idf.count else {
            throw VectorizerError.badModelFile(path: path, reason: "vocabulary and idf differ in length")
        }
        // Columns are the terms in byte order (lookups are binary searches), each once.
        let vocabulary = contents.vocabulary
        if let position = vocabulary.indices.dropLast().first(where: { !vocabulary[$0].utf8.lexicographicallyPrecedes(vocabulary[$0 + 1].utf8) }) {
            throw VectorizerError.badModelFile(path: path, reason: "vocabulary is not in strictly increasing byte order at term \(position + 1) "
                                               + "(\"\(contents.vocabulary[position])\", \"\(contents.vocabulary[position + 1])\")")
        }
        // idf = ln((1 + n) / (1 + df)) + 1 (or without the smoothing ones): at least 1 and at most ln(n + 1) + 1.
        let largest = log(Double(max(1, contents.documentCount)) + 1) + 1 + 1e-9
        if let position = contents.idf.firstIndex(where: { !$0.isFinite || $0 < 1 - 1e-9 || $0 > largest }) {
            throw VectorizerError.badModelFile(path: path, reason: "idf of term \(position + 1) (\"\(contents.vocabulary[position])\") is \(contents.idf[position]), "
                                               + "outside 1…\(String(format: "%.3f", largest)) for n = \(contents.documentCount)")
        }
        return TfidfModel(configuration: contents.configuration, vocabulary: contents.vocabulary, idf: contents.idf,
                          documentCount: contents.documentCount)
    }
}

/// Export of a matrix in MatrixMarket coordinate format (`scipy.io.mmread` reads it) and of the
/// vocabulary as one term per line, in column order.
package enum MatrixMarket {
    /// Writes `%%MatrixMarket matrix coordinate real general`, 1-based `row column value` lines, rows in order.
    package static func write(_ matrix: CSRMatrix, to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write("%%MatrixMarket matrix coordinate real general\n")
        try writer.write("\(matrix.rowCount) \(matrix.columnCount) \(matrix.storedCount)\n")
        var line: [UInt8] = []
        for row in 0..<matrix.rowCount {
            for index in matrix.rowStarts[row]..<matrix.rowStarts[row + 1] {
                line.removeAll(keepingCapacity: true)
                line.append(contentsOf: String(row + 1).utf8)
                line.append(0x20)
                line.append(contentsOf: String(matrix.columns[index] + 1).utf8)
                line.append(0x20)
                line.append(contentsOf: matrix.values[index].description.utf8)
                line.append(0x0A)
                try writer.write(line)
            }
        }
        try writer.commit()
    }

    /// Writes the vocabulary, one term per line (terms never contain a newline: newlines split tokens).
    package static func writeVocabulary(_ vocabulary: [String], to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        for term in vocabulary {
            try writer.write(term)
            try writer.write("\n")
        }
        try writer.commit()
    }
}

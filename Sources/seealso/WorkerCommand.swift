import ArgumentParser
import SeeAlso

/// The steps of a sharded build (`ShardedBuild`), one subcommand each, for a cluster scheduler to run
/// on many machines (scripts/spark drives them from PySpark). Each reads standard input or files and
/// writes tab-separated lines on standard output.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Steps of a sharded build, run by scripts/spark-build on a Spark cluster (README \"Scale-out on Spark\").",
        subcommands: [TermCounts.self, FitModel.self, Vectorize.self, Score.self, Merge.self, TrainPartitions.self, Assign.self,
                      WriteIndex.self])

    struct TermCounts: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "term-counts", abstract: "Print an archive part's term counts: a #documents line, then term, df, tf lines.")
        @OptionGroup var input: InputOptions
        @OptionGroup var vectorizer: VectorizerOptions
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            try ShardedBuild.writeTermStatistics(of: try input.archive(for: vectorizer), tfidf: try vectorizer.configuration(), to: LineOutput())
        }
    }

    struct FitModel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit-model", abstract: "Fit the model of summed term counts (the whole archive's) and save it.")
        @Option(help: "Summed term counts (term-counts lines; default: standard input).") var counts: String?
        @Option(help: "The model file to write.") var output: String
        @OptionGroup var vectorizer: VectorizerOptions

        func run() throws {
            let model = try ShardedBuild.fitModel(statistics: try LineInput(path: counts), tfidf: try vectorizer.configuration())
            try ModelFile.save(model, to: output)
            print("\(model.vocabulary.count)")
        }
    }

    struct Vectorize: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "vectorize", abstract: "Print an archive part's TF-IDF rows under a model as vector lines (row, base64).")
        @OptionGroup var input: InputOptions
        @Option(help: "The model file (fit-model's).") var model: String
        @Option(help: "The archive row of the part's first article.") var firstRow = 0
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            guard firstRow >= 0 else { throw ValidationError("--first-row must not be negative, got \(firstRow)") }
            try ShardedBuild.writeVectors(of: try input.archive(), model: try ModelFile.load(model), firstRow: firstRow, to: LineOutput())
        }
    }

    struct Score: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Print the k best of each vector line's row among the others (or across --split) as list lines.")
        @Option(help: "Columns of the vectors (the model's vocabulary size).") var columns: Int
        @Option(help: "Score only pairs across this archive row: rows below it against rows at or above it.") var split: Int?
        @OptionGroup var length: ListLength
        @Flag(help: "The lines are one partition's assignment lines (assign's): score residents with each other and visitors with residents.")
        var partition = false
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            let input = try vectorLines(columns: columns)
            if partition {
                guard split == nil else { throw ValidationError("--split and --partition exclude each other") }
                let (residents, visitors) = try ShardedBuild.readPartition(input, columnCount: columns)
                return ShardedBuild.writeCandidateLists(residents: residents, visitors: visitors, k: length.k, to: LineOutput())
            }
            let rows = try ShardedBuild.readRows(input, columnCount: columns)
            ShardedBuild.writeCandidateLists(rows, split: split, k: length.k, to: LineOutput())
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Merge list lines by row into each row's k best, in row order.")
        @OptionGroup var length: ListLength

        func run() throws { try ShardedBuild.mergeLists(try LineInput(path: nil), k: length.k, to: LineOutput()) }
    }

    struct TrainPartitions: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-partitions", abstract: "Train the partitioned method's projection and centroids on sampled vector lines.")
        @Option(help: "Columns of the vectors.") var columns: Int
        @Option(help: "Partitions to train (large ones are split, so there may be more).") var partitions: Int
        @Option(help: "Dimensions of the reduced (LSA) vectors.") var dimensions = 128
        @Option(help: "Random seed.") var seed: UInt64 = 0
        @Option(help: "The partitioner file to write.") var output: String
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            let input = try vectorLines(columns: columns)
            guard partitions >= 1, (1...4096).contains(dimensions) else {
                throw ValidationError("--partitions must be at least 1 and --dimensions between 1 and 4096")
            }
            let sample = try ShardedBuild.readRows(input, columnCount: columns)
            let partitioner = try ShardPartitioner.train(sample, partitions: partitions, dimensions: dimensions, seed: seed)
            try partitioner.save(to: output)
            print("\(partitioner.centroids.rowCount)")
        }
    }

    struct Assign: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign", abstract: "Send each vector line to its nearest partition (as a resident, R) and its next probes − 1 (as a visitor, V).")
        @Option(help: "The partitioner file (train-partitions').") var partitioner: String
        @Option(help: "Partitions each article is sent to: its own and probes − 1 it visits.") var probes = 8
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            guard probes >= 1 else { throw ValidationError("--probes must be at least 1, got \(probes)") }
            let partitioner = try ShardPartitioner.load(partitioner)
            let rows = try ShardedBuild.readRows(try LineInput(path: nil), columnCount: partitioner.svd.inputDimension)
            partitioner.writeAssignments(rows, probes: probes, to: LineOutput())
        }
    }

    struct WriteIndex: ProgressCommand {
        static let configuration = CommandConfiguration(
            commandName: "write-index", abstract: "Write an index of the archive with the model and the merged lists.")
        @OptionGroup var input: InputOptions
        @Option(help: "The model file (fit-model's).") var model: String
        @Option(help: "The merged list lines (merge's, all rows).") var lists: String
        @Option(help: "Index directory to create or replace.") var index: String
        @Option(help: "Length of each stored list.") var k = 20
        @Option(help: "How the lists were made: exact or partitioned.") var method: BuildOptions.Method = .exact
        @Option(help: "Rows on which recall@10 against exact lists is measured for partitioned lists (0: skip).") var recallSample = 200
        @Flag(help: "Do not keep the articles' bodies in the index (then no refit).") var noTexts = false
        @Flag(help: "Build into a directory that holds other files.") var force = false
        @Option(help: "The name the index records as its source (default: the --input path).") var sourceName: String?
        @OptionGroup var global: GlobalOptions

        func run(progress: any ProgressReporter) throws {
            var options = BuildOptions()
            options.k = k
            options.method = method
            options.recallSample = recallSample
            options.keepTexts = !noTexts
            options.force = force
            var archive = try input.archive()
            archive.recordedName = sourceName
            let report = try ShardedBuild.writeIndex(archive, model: try ModelFile.load(model), lists: try LineInput(path: lists),
                                                     into: index, options: options, progress: progress)
            printJSON(report)
        }
    }
}

/// `--k` of the steps that make lists: 1 ≤ k ≤ the index maximum.
struct ListLength: ParsableArguments {
    @Option(help: "Length of each list.") var k = 20

    func validate() throws {
        guard (1...IndexManifest.maximumK).contains(k) else { throw ValidationError("--k must be between 1 and \(IndexManifest.maximumK), got \(k)") }
    }
}

/// Standard input, which holds vector lines of `columns` columns (checked to be at least one).
private func vectorLines(columns: Int) throws -> LineInput {
    guard columns >= 1 else { throw ValidationError("--columns must be at least 1, got \(columns)") }
    return try LineInput(path: nil)
}

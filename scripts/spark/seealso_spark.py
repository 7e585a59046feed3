"""Builds a SeeAlso index on Apache Spark, with SeeAlso's own binary doing every step on the executors.

Run through scripts/spark-build (which installs pyspark and Java and calls spark-submit). This driver
only routes lines between `seealso worker` steps; it tokenizes, weighs and scores nothing itself:

  archive lines --zipWithIndex--> S contiguous shards (row order = input order)
  shard --worker term-counts--> (term, df, tf) --reduceByKey(sum)--> driver: worker fit-model --> model
  model broadcast (addFile); shard --worker vectorize--> vector lines (row, base64)
  exact:       vectors routed to every shard pair (i <= j) --worker score [--split]--> candidate lists
  partitioned: sample --worker train-partitions (driver)--> partitioner broadcast;
               vectors --worker assign--> (partition, R|V, vector): resident of the nearest partition, visitor of
               the next probes - 1 --worker score --partition (per partition)--> candidate lists
  candidate lists by row's shard --worker merge--> merged lists (row order) --> driver file
  driver: worker write-index (archive lines in row order, model, merged lists) --> index generation

Prints one JSON object on stdout (stage seconds, shuffle bytes, worker peak memory) and progress on stderr.
"""

import argparse
import json
import os
import resource
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from pyspark import SparkContext, SparkFiles, StorageLevel


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="JSON Lines file (.gz too) or a folder of them (any path Spark reads)")
    parser.add_argument("--index", required=True, help="index directory written on the driver")
    parser.add_argument("--seealso", required=True, help="the seealso binary shipped to the executors")
    parser.add_argument("--work", required=True, help="driver-local folder for the model, lists and archive copy")
    parser.add_argument("--shards", type=int, default=0,
                        help="contiguous shards (default: 4 per core of the cluster, and at most 25,000 articles each)")
    parser.add_argument("--method", choices=["exact", "partitioned"], default="exact")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--partitions", type=int, default=0, help="partitioned: partitions (default: about 5,000 articles each)")
    parser.add_argument("--probes", type=int, default=8,
                        help="partitioned: partitions each article is scored in (its own, and probes - 1 it visits)")
    parser.add_argument("--dimensions", type=int, default=128, help="partitioned: LSA dimensions of the partitioner")
    parser.add_argument("--sample-rows", type=int, default=50000, help="partitioned: rows the partitioner is trained on")
    parser.add_argument("--task-threads", type=int, default=1, help="threads of each worker process (spark.task.cpus)")
    parser.add_argument("--tfidf-options", default="", help="vectorizer options of `seealso build` (term-counts, fit-model)")
    parser.add_argument("--input-options", default="", help="input options of `seealso build` (--html, --columns, --time-zone)")
    parser.add_argument("--no-texts", action="store_true", help="do not keep bodies in the index")
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--summary", help="write the JSON summary to this file instead of standard output")
    parser.add_argument("--resume", action="store_true",
                        help="reuse the model, the merged lists and the archive copy a failed run left complete in --work")
    return parser.parse_args()


def log(message):
    print(f"spark-build: {message}", file=sys.stderr, flush=True)


def executable(name):
    """The shipped binary on this executor, made executable (addFile may drop the mode bit)."""
    path = SparkFiles.get(name)
    if not os.access(path, os.X_OK):
        try:
            os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        except OSError:
            copy = os.path.join(tempfile.mkdtemp(prefix="seealso-"), name)
            shutil.copy(path, copy)
            os.chmod(copy, 0o755)
            path = copy
    return path


def run_worker(arguments, lines, peak=None, cpu=None):
    """Runs `seealso worker ARGUMENTS` with `lines` on standard input; yields its output lines.

    A worker that fails raises with its standard error, which fails the Spark task with SeeAlso's
    own message. `peak` (an accumulator) records the largest resident set of any worker process,
    `cpu` adds up their CPU seconds (what SeeAlso itself costs, against the job's wall time).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    binary = executable("seealso")
    # Libraries shipped with the job (spark-build --ship-libraries) lie beside the binary.
    environment = dict(os.environ)
    environment["LD_LIBRARY_PATH"] = os.path.dirname(binary) + (":" + environment["LD_LIBRARY_PATH"] if environment.get("LD_LIBRARY_PATH") else "")
    process = subprocess.Popen([binary, "worker"] + arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=environment)
    failure = []

    def feed():
        try:
            for line in lines:
                process.stdin.write(line.encode("utf-8"))
                process.stdin.write(b"\n")
        except BrokenPipeError:
            pass
        except Exception as error:  # the routing itself failed: report it instead of hanging
            failure.append(error)
        finally:
            try:
                process.stdin.close()
            except BrokenPipeError:
                pass

    errors = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
    reader.start()
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    for raw in process.stdout:
        yield raw.decode("utf-8").rstrip("\n")
    writer.join()
    status = process.wait()
    reader.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if peak is not None:
        peak.add(after.ru_maxrss * 1024)
    if cpu is not None:
        cpu.add(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if failure:
        raise failure[0]
    if status != 0:
        raise RuntimeError(f"seealso worker {' '.join(arguments)} exited {status}: "
                           + errors[0].decode("utf-8", "replace").strip()[-4000:])


def run_local(binary, arguments, stdin_path=None):
    """Runs a worker step on the driver; returns its standard output."""
    with open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb") as stdin:
        result = subprocess.run([binary, "worker"] + arguments, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if result.returncode != 0:
        raise SystemExit(f"spark-build: seealso worker {arguments[0]} failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


def write_lines(path, lines):
    """Writes lines to `path` through a temporary name, so that an existing `path` is always complete."""
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as output:
        for line in lines:
            output.write(line + "\n")
    os.replace(partial, path)


class MaxAccumulator:
    """An accumulator keeping the largest value added."""

    def zero(self, value):
        return 0

    def addInPlace(self, first, second):
        return max(first, second)


def shuffle_bytes(context):
    """Shuffle bytes written by the job's stages, from Spark's monitoring API (None when the UI is off)."""
    url = context.uiWebUrl
    if not url:
        return None
    try:
        with urllib.request.urlopen(f"{url}/api/v1/applications/{context.applicationId}/stages", timeout=10) as response:
            stages = json.load(response)
        return sum(stage.get("shuffleWriteBytes", 0) for stage in stages)
    except (OSError, ValueError):
        return None


def main():
    arguments = parse_arguments()
    tfidf = shlex.split(arguments.tfidf_options)
    input_options = shlex.split(arguments.input_options)
    threads = ["--threads", str(arguments.task_threads), "--quiet"]
    os.makedirs(arguments.work, exist_ok=True)
    binary = os.path.abspath(arguments.seealso)
    clock = time.monotonic()
    stages = {}

    def lap(name):
        nonlocal clock
        now = time.monotonic()
        stages[name] = round(now - clock, 3)
        clock = now
        log(f"{name}: {stages[name]:.1f} s")

    context = SparkContext(appName="seealso-build")
    context.setLogLevel("WARN")
    context.addFile(binary)
    peak = context.accumulator(0, MaxAccumulator())
    worker_cpu = context.accumulator(0.0)

    # Rows in input order, cut into contiguous shards so that shard s holds rows s*size ..< (s+1)*size.
    lines = context.textFile(arguments.input, minPartitions=4 * context.defaultParallelism).filter(lambda line: line.strip() != "")
    indexed = lines.zipWithIndex()
    total = indexed.count()
    if total < 2:
        raise SystemExit(f"spark-build: {arguments.input} holds {total} articles; an index needs at least 2")
    wanted = arguments.shards or max(4 * context.defaultParallelism, -(-total // 25000))
    size = -(-total // max(1, min(wanted, total)))
    shards = -(-total // size)
    by_shard = (indexed.map(lambda pair: (pair[1] // size, (pair[1], pair[0])))
                .partitionBy(shards, lambda shard: shard)
                .mapPartitions(lambda items: (line for _, line in sorted((item for _, item in items), key=lambda item: item[0])),
                               preservesPartitioning=True)
                .persist(StorageLevel.DISK_ONLY))
    log(f"{total} articles in {shards} shards of {size}")
    lap("read and shard")

    # 1-2. Term counts per shard, summed by term; the model is fitted on the driver.
    def counts_of(shard_lines):
        arguments_ = ["term-counts", "--input", "/dev/stdin", "--input-format", "jsonl"] + input_options + tfidf + threads
        for line in run_worker(arguments_, shard_lines, peak, worker_cpu):
            term, _, rest = line.partition("\t")
            if term == "#documents":
                yield term, (int(rest), 0.0)
            else:
                df, tf = rest.split("\t")
                yield term, (int(df), float(tf))

    counts_path = os.path.join(arguments.work, "term-counts.tsv")
    model_path = os.path.join(arguments.work, "model.json")
    if not (arguments.resume and os.path.exists(model_path)):
        summed = by_shard.mapPartitions(counts_of).reduceByKey(lambda a, b: (a[0] + b[0], a[1] + b[1]))
        write_lines(counts_path, (f"{term}\t{df}" if term == "#documents" else f"{term}\t{df}\t{tf!r}"
                                  for term, (df, tf) in summed.toLocalIterator()))
        run_local(binary, ["fit-model", "--counts", counts_path, "--output", model_path + ".partial"] + tfidf)
        os.replace(model_path + ".partial", model_path)
    else:
        log(f"resuming with the model in {model_path}")
    with open(model_path, encoding="utf-8") as model_file:
        columns = len(json.load(model_file)["vocabulary"])
    context.addFile(model_path)
    log(f"model: {columns} terms")
    lap("term counts and model")

    k = str(arguments.k)
    lists_path = os.path.join(arguments.work, "lists.tsv")
    method_note = "resumed"
    if arguments.resume and os.path.exists(lists_path):
        log(f"resuming with the merged lists in {lists_path}")
    else:
        # 3. TF-IDF rows of every shard under the broadcast model.
        def vectors_of(shard, shard_lines):
            arguments_ = ["vectorize", "--input", "/dev/stdin", "--input-format", "jsonl", "--model", SparkFiles.get("model.json"),
                          "--first-row", str(shard * size)] + input_options + threads
            return run_worker(arguments_, shard_lines, peak, worker_cpu)

        vectors = by_shard.mapPartitionsWithIndex(vectors_of).persist(StorageLevel.DISK_ONLY)
        vectors.count()
        lap("vectorize")

        score_arguments = ["score", "--columns", str(columns), "--k", k] + threads
        if arguments.method == "exact":
            # 4. Every shard alone and every pair of shards: block (i, j), i <= j, gets shards i and j.
            pairs = [(i, j) for i in range(shards) for j in range(i, shards)]
            pair_index = {pair: index for index, pair in enumerate(pairs)}

            def route(line):
                shard = int(line[:line.index("\t")]) // size
                for other in range(shards):
                    yield pair_index[(min(shard, other), max(shard, other))], line

            def score_pair(index, pair_lines):
                i, j = pairs[index]
                split = [] if i == j else ["--split", str(j * size)]
                return run_worker(score_arguments + split, (line for _, line in pair_lines), peak, worker_cpu)

            candidates = (vectors.flatMap(route).partitionBy(len(pairs), lambda index: index)
                          .mapPartitionsWithIndex(score_pair))
            method_note = f"{len(pairs)} shard pairs"
        else:
            # 4'. Partitions trained on the driver from evenly spaced sample rows; each article scored in its nearest partitions.
            step = max(1, total // max(2, arguments.sample_rows))
            sample_path = os.path.join(arguments.work, "sample.vectors")
            write_lines(sample_path, vectors.filter(lambda line: int(line[:line.index("\t")]) % step == 0).toLocalIterator())
            wanted = arguments.partitions or max(1, total // 5000)
            partitioner_path = os.path.join(arguments.work, "partitioner.bin")
            partition_count = int(run_local(binary, ["train-partitions", "--columns", str(columns), "--partitions", str(wanted),
                                                     "--dimensions", str(arguments.dimensions), "--output", partitioner_path],
                                            stdin_path=sample_path).strip())
            context.addFile(partitioner_path)
            lap(f"train {partition_count} partitions")

            def assign(vector_lines):
                arguments_ = ["assign", "--partitioner", SparkFiles.get("partitioner.bin"), "--probes", str(arguments.probes)] + threads
                for line in run_worker(arguments_, vector_lines, peak, worker_cpu):
                    yield int(line[:line.index("\t")]), line

            candidates = (vectors.mapPartitions(assign).partitionBy(partition_count, lambda partition: partition)
                          .mapPartitions(lambda items: run_worker(score_arguments + ["--partition"], (line for _, line in items), peak, worker_cpu)))
            method_note = f"{partition_count} partitions, {arguments.probes} probes"

        # 5. Candidate lists merged by the shard of their row; collected in row order.
        merged = (candidates.map(lambda line: (int(line[:line.index("\t")]) // size, line))
                  .partitionBy(shards, lambda shard: shard)
                  .mapPartitions(lambda items: run_worker(["merge", "--k", k], (line for _, line in items), peak, worker_cpu)))
        write_lines(lists_path, merged.toLocalIterator())
    lap(f"score and merge ({method_note})")

    # 6. The index, written on the driver from the archive lines in row order, the model and the lists.
    articles_path = os.path.join(arguments.work, "articles.jsonl")
    if not (arguments.resume and os.path.exists(articles_path)):
        write_lines(articles_path, by_shard.toLocalIterator())
    shuffled = shuffle_bytes(context)
    worker_peak = peak.value
    executor_cpu = worker_cpu.value
    context.stop()
    lap("collect archive lines")
    write = ["write-index", "--input", articles_path, "--input-format", "jsonl", "--source-name", arguments.input,
             "--model", model_path, "--lists", lists_path, "--index", arguments.index, "--k", k, "--method", arguments.method,
             "--quiet"] + input_options
    if arguments.no_texts:
        write.append("--no-texts")
    if arguments.force:
        write.append("--force")
    report = json.loads(run_local(binary, write))
    lap("write index")
    summary = {
        "index": arguments.index, "method": arguments.method, "articleCount": total, "shardCount": shards, "termCount": columns,
        "k": arguments.k, "stages": [{"name": name, "wallSeconds": seconds} for name, seconds in stages.items()],
        "wallSeconds": round(sum(stages.values()), 3),
        "shuffleBytes": shuffled, "shuffleBytesPerArticle": None if shuffled is None else round(shuffled / total, 1),
        "workerPeakResidentBytes": worker_peak, "workerCPUSeconds": round(executor_cpu, 3), "writerPeakResidentBytes": report.get("peakResidentBytes"),
        "measuredRecall": report.get("measuredRecall"), "generation": report.get("generation"),
    }
    if arguments.summary:
        write_lines(arguments.summary, [json.dumps(summary, sort_keys=True)])
    else:
        print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()

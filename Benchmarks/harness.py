#!/usr/bin/env python3
"""SeeAlso's benchmark harness: runs SeeAlso and the peers a user would pick instead on the same
data in the same run, records wall time, CPU time, peak RSS and quality, and regenerates RESULTS.md
and the plots (matplotlib, figures.py) from the stored results (results/*.json, one file per stage, each with the command
that produced it). Started by `Benchmarks/run`.

Stages (--stages, default all):
  tfidf        TF-IDF end to end: SeeAlso vs scikit-learn TfidfVectorizer (corpora + synthetic sizes)
  exact        exact all-pairs top-10 on the same TF-IDF matrix: SeeAlso vs sparse_dot_topn, sklearn brute
  quality      related-list quality of exact TF-IDF lists under each analysis choice
  dense        dense all-pairs top-10 on the same unit vectors (d = 128, 256): SeeAlso DenseAllPairs vs
               FAISS IndexFlatIP and IndexIVFFlat (recall against exact); SeeAlso's GFLOP/s vs bare sgemm
  partitioned  `seealso build` with --method partitioned, dense and exact on synthetic archives of
               --sizes: time, CPU, peak RSS, recall@10; sparse_dot_topn as the exact peer
  threads      `seealso build` with --threads 1 and 2 (partitioned and exact on synthetic archives of --threads-sizes,
               exact on 20NG or --corpus): each stage's and sub-stage's serial fraction (Amdahl) and CPU use, projected
               to 4, 8, 16 threads beside the 16-core figures of issue 13 (Benchmarks/thread_scaling.py)
  add          `seealso add` of the newest 1,000 articles of a synthetic archive to a partitioned index of
               the others (--add-sizes): time, CPU, peak RSS, recall@10 of the added and of all articles
  churn        the live archive: `seealso update` and `seealso delete` of 1,000 articles of a partitioned index
               (--churn-sizes) beside a full rebuild: time, CPU, peak RSS, lists changed; recall@10 after 10%
               churn (updates, deletes, adds in 10 rounds) of an index of --churn-recall-size articles beside a
               fresh build of the surviving articles (SeeAlso only: no baseline has update/delete)
  serve        `seealso serve` under wrk on loopback (Benchmarks/serve_load.py): related-by-id (stored list and scored),
               new-text related, stored reads under one write per second, beside the CLI's per-process cost for the
               same work, on the sample archive (newsarticles) and indexes of --serve-sizes; then schemathesis from the
               service's OpenAPI document for --serve-fuzz-seconds (scripts/serve/fuzz.py): requests tried, failures
  kmeans       `seealso cluster` k-means vs scikit-learn KMeans (TF-IDF rows, LSA) and scikit-learn /
               FAISS k-means on SeeAlso's LSA vectors, through peers/kmeans_peers.py (SeeAlso's rows only
               when it is missing or fails): NMI/ARI, time, RSS
  stories      `seealso cluster --method stories` on the gold-story corpora: NMI/ARI, time
  limits       OpenBLAS sgemm GFLOP/s for SeeAlso's tile shapes and STREAM-like memory bandwidth
               (Benchmarks/limits/stream.c, compiled here with gcc -O2)
  fuzz         the libFuzzer targets (JSON Lines, CSV and folder readers, opening and querying an index) with
               AddressSanitizer, each for --fuzz-seconds (default 600; quick 60) through `scripts/fuzz`:
               executions, inputs in the final corpus, crashes

--quick: small corpora and sizes, one repeat (a few minutes); its results go to Benchmarks/work/quick/
so that quick runs never overwrite the committed Benchmarks/results, RESULTS.md and plots.
--report-only regenerates RESULTS.md and the plots from the stored results without running anything.
--baseline REV (a git revision, built in release mode in a detached worktree under .build-baseline/) or
--baseline-seealso PATH (a seealso binary): every stage that runs SeeAlso also runs the baseline's equivalent
command on the same data right after it, with the same repeats; the results and RESULTS.md show both, with
the new/baseline time ratio and, where the lists are comparable, whether they are identical. The peers run
once."""
import argparse
import gzip
import json
import math
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "peers"))
from measure import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "Benchmarks"
WORK = BENCH / "work"
PEERS = BENCH / "peers"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_CORPORA = ["20ng", "reuters21578"]
QUICK_CORPORA = ["ecbplus", "newsarticles"]
DEFAULT_SIZES = "10k,100k,1m"
QUICK_SIZES = "10k"
DEFAULT_DENSE_SIZES = "10k,30k,100k"
QUICK_DENSE_SIZES = "5k,10k"
DEFAULT_ADD_SIZES = "1m"
QUICK_ADD_SIZES = "10k"
DEFAULT_CHURN_SIZES = "1m"
QUICK_CHURN_SIZES = "20k"
DEFAULT_CHURN_RECALL_SIZE = "200k"
DEFAULT_SERVE_SIZES = "1m"
DEFAULT_SPARK_SIZES = "100k,1m"
QUICK_SPARK_SIZES = "10k"
DEFAULT_THREADS_SIZES = "100k"
QUICK_THREADS_SIZES = "10k"
QUICK_SERVE_SIZES = "10k"
QUICK_CHURN_RECALL_SIZE = "20k"
DENSE_DIMENSIONS = [128, 256]
REFERENCE_FLAGS = ["--preset", "sklearn", "--sublinear-tf", "--min-df", "2", "--max-df", "0.5", "--stop-words", "english"]
# Stages that run no SeeAlso command of their own, hence no baseline either.
WITHOUT_SEEALSO = {"realism", "fuzz"}
# Stages no baseline runs: those above, and those of commands no baseline has (update, delete); a note says so.
WITHOUT_BASELINE = WITHOUT_SEEALSO | {"churn", "serve", "spark", "threads"}
STAGE_ORDER = ["tfidf", "exact", "quality", "dense", "partitioned", "threads", "add", "churn", "serve", "spark", "realism", "kmeans", "minibatch", "stories", "limits",
               "fuzz"]
TITLES = {
    "tfidf": "TF-IDF: SeeAlso vs scikit-learn",
    "exact": "Exact all-pairs top-10: SeeAlso vs sparse_dot_topn and scikit-learn",
    "quality": "Related-list quality by analysis choice",
    "dense": "Dense all-pairs top-10 on unit vectors: SeeAlso vs FAISS",
    "partitioned": "Approximate and exact builds on synthetic archives",
    "threads": "Thread scaling: the serial fraction of each build stage",
    "add": "Adding 1,000 articles to a partitioned index",
    "churn": "Live archive: updating and deleting articles of a partitioned index",
    "serve": "The HTTP service under load: seealso serve vs a CLI process per request",
    "spark": "Scale-out: scripts/spark-build in Spark local mode vs seealso build on one machine",
    "realism": "How realistic the synthetic archives are",
    "kmeans": "Topic k-means: SeeAlso vs scikit-learn and FAISS",
    "minibatch": "Mini-batch k-means on the largest synthetic archive",
    "stories": "Story clustering",
    "limits": "Physical limits of this machine",
    "fuzz": "Fuzzing: libFuzzer with AddressSanitizer",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def corpora_dir():
    return Path(os.environ.get("SEEALSO_CORPORA", ROOT.parent / "shared" / "corpora"))


def plain_copy(path: Path) -> Path:
    """The corpus as uncompressed JSON Lines in Benchmarks/work (both sides then read the same bytes)."""
    WORK.mkdir(parents=True, exist_ok=True)
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    target = WORK / name
    if not target.exists():
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as source, open(target, "wb") as sink:
            sink.write(source.read())
    return target


def corpus_name(path: Path) -> str:
    name = path.name
    for suffix in [".gz", ".jsonl", ".json", ".csv", ".tsv"]:
        name = name[:-len(suffix)] if name.endswith(suffix) else name
    return name


def median_run(command, repeats, env=None, before=None, key=None):
    """The command run repeats times (after before(), when given, each time), each run (run_measured's dict) measured
    by key(run) in seconds (default: its wall time). Returns the median of the key ("seconds") and every run's key
    ("runs"), the median wall time and every run's ("wall", "walls"), the median run's CPU and output (the run whose
    key is the lower median) and the largest peak RSS. With several repeats, one untimed run first, so that neither
    binary of a side-by-side comparison pays alone for a cold page cache or for files still being written back."""
    key = key or (lambda run: run["wall"])
    if repeats > 1:
        if before:
            before()
        run_measured(command, env=env)
    runs = []
    for _ in range(repeats):
        if before:
            before()
        runs.append(run_measured(command, env=env))
    values = [key(r) for r in runs]
    walls = [r["wall"] for r in runs]
    best = runs[values.index(statistics.median_low(values))]
    return {"seconds": statistics.median(values), "runs": values, "wall": statistics.median(walls), "walls": walls,
            "cpu": best["cpu"], "rss": max(r["rss"] for r in runs), "stdout": best["stdout"]}


def field(summary, key, old_key):
    """summary[key], or summary[old_key] in the JSON of a binary older than the one JSON vocabulary (README "JSON output")."""
    return summary[key] if key in summary else summary.get(old_key)


def last_json(text):
    """The last line of a process's output that parses as a JSON object."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    raise ValueError(f"no JSON object in output: {text[-500:]!r}")


def parse_size(text):
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def size_label(n):
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def repeats_for(args, n):
    """Every repeat below 100k items; one run from 100k up (the large runs dominate the total time)."""
    return args.repeats if n < 100_000 else 1


def synth_archive(args, n):
    """A synthetic archive of n articles (`seealso synth --seed 1`), generated once into Benchmarks/work/synth."""
    folder = WORK / "synth"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"synth-{size_label(n)}-seed1.jsonl"
    if not target.exists():
        partial = folder / (target.name + ".partial")
        log(f"synth: writing {n} articles to {target}")
        run_measured([args.seealso, "synth", "--articles", str(n), "--seed", "1", "--out", str(partial), "--quiet"])
        partial.rename(target)
    return target


# ---------------------------------------------------------------------------------------------
# The SeeAlso binaries: the one under test ("SeeAlso") and, with --baseline or --baseline-seealso, a baseline


@dataclass(frozen=True)
class Binary:
    name: str  # "SeeAlso" or "SeeAlso baseline (REV or PATH)": the label in results and RESULTS.md
    path: str
    commit: str = None  # the baseline's git commit when --baseline built it

    @property
    def kernels(self):
        """seealso-kernels beside seealso (the machine-limit kernels' own executable), or None for a binary
        that still runs them as `seealso bench --dense-vectors / --limits`."""
        path = Path(self.path).parent / "seealso-kernels"
        return str(path) if path.exists() else None

    @property
    def is_baseline(self):
        return self.name != "SeeAlso"

    @property
    def suffix(self):
        """What keeps the baseline's files (indexes, lists) apart from the new binary's in Benchmarks/work."""
        return ".baseline" if self.is_baseline else ""

    @property
    def kernels_program(self):
        return "seealso-kernels" if self.kernels else "seealso bench"

    def kernel_command(self, *arguments):
        return [self.kernels, *arguments] if self.kernels else [self.path, "bench", *arguments]

    def description(self):
        return {"name": self.name, "path": self.path, "commit": self.commit}


BASELINE_FOLDER = ROOT / ".build-baseline"


def git(*arguments, cwd=ROOT):
    return subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def build_revision(revision):
    """Builds git revision `revision` in release mode in a detached worktree (.build-baseline/src, scratch path
    .build-baseline/build) and returns (its seealso, the commit); a finished build of the same commit is reused."""
    commit = git("rev-parse", "--verify", f"{revision}^{{commit}}")
    source, scratch, stamp = BASELINE_FOLDER / "src", BASELINE_FOLDER / "build", BASELINE_FOLDER / "built-commit"
    binary = scratch / "release" / "seealso"
    if binary.exists() and stamp.exists() and stamp.read_text().strip() == commit:
        log(f"baseline: reusing the build of {revision} ({commit[:10]}) in {scratch}")
        return binary, commit
    stamp.unlink(missing_ok=True)
    if (source / ".git").exists():
        git("checkout", "--force", "--detach", commit, cwd=source)
    else:
        shutil.rmtree(source, ignore_errors=True)
        git("worktree", "prune")
        git("worktree", "add", "--detach", str(source), commit)
    # Package.resolved is not in git: pin the baseline to this checkout's dependency versions (resolvable offline).
    if (ROOT / "Package.resolved").exists():
        shutil.copy(ROOT / "Package.resolved", source / "Package.resolved")
    log(f"baseline: building {revision} ({commit[:10]}) in release mode in {source}")
    build = subprocess.run(["swift", "build", "-c", "release", "--package-path", str(source), "--scratch-path", str(scratch)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        sys.exit(f"release build of baseline {revision} failed:\n{(build.stdout + build.stderr)[-4000:]}")
    stamp.write_text(commit + "\n")
    return binary, commit


def baseline_binary(args):
    """The baseline Binary of --baseline REV or --baseline-seealso PATH, or None."""
    if args.baseline_seealso:
        return Binary(f"SeeAlso baseline ({args.baseline_seealso})", str(Path(args.baseline_seealso).resolve()))
    if args.baseline:
        try:
            path, commit = build_revision(args.baseline)
        except subprocess.CalledProcessError as error:
            sys.exit(f"--baseline {args.baseline}: `{' '.join(error.cmd)}` failed: {error.stderr.strip()}")
        return Binary(f"SeeAlso baseline ({git('rev-parse', '--short', commit)})", str(path), commit)
    return None


def failure_text(error):
    """The first line of why a command failed (run_measured's error ends with the command's standard error)."""
    lines = str(error).split(" failed: ", 1)[-1].strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


def run_baseline(args, notes, what, measure):
    """measure(the baseline Binary), run right after the new binary's measurement, or None without a baseline.
    A baseline that fails (an older binary may lack an option) costs its own figures and a note, not the run."""
    if args.baseline is None:
        return None
    try:
        return measure(args.baseline)
    except (RuntimeError, ValueError, KeyError) as error:
        notes.append(f"{args.baseline.name} failed on {what}: {failure_text(error)}")
        log(f"{what}: {notes[-1]}")
        return None


def measure_both(args, notes, what, measure, line):
    """(the new binary's figures, the baseline's or None): measure(binary) for SeeAlso, then for the baseline right
    after it, each logged as `what: line(figures)`."""
    ours = measure(args.new)
    log(f"{what}: {line(ours)}")
    theirs = run_baseline(args, notes, what, measure)
    if theirs is not None:
        log(f"{what}: {args.baseline.name} {line(theirs)}")
    return ours, theirs


# ---------------------------------------------------------------------------------------------
# Stage: tfidf


def stage_tfidf(args, corpora):
    """End-to-end TF-IDF (read, tokenize, count, weight): SeeAlso vs scikit-learn's TfidfVectorizer,
    on the corpora and the synthetic archives of --sizes."""
    rows, notes = [], []
    inputs = [(corpus.name, plain_copy(corpus)) for corpus in corpora]
    inputs += [(f"synth-{size_label(n)}", synth_archive(args, n)) for n in args.size_list]
    for name, data in inputs:
        megabytes = data.stat().st_size / 1e6
        documents_hint = next((n for n in args.size_list if name == f"synth-{size_label(n)}"), None)
        repeats = repeats_for(args, documents_hint or 0)
        for config in ["default", "sublinear"]:
            flags = [] if config == "default" else REFERENCE_FLAGS[2:]

            def vectorize(binary):
                return median_run([binary.path, "vectorize", "--input", str(data), "--preset", "sklearn", *flags,
                                   "--quiet", "--format", "json"], repeats)

            ours = vectorize(args.new)
            summary = json.loads(ours["stdout"])
            row = {"corpus": name, "config": config, "megabytes": round(megabytes, 2),
                   "documents": summary["articleCount"], "terms": summary["termCount"],
                   "seealso_wall": ours["wall"], "seealso_walls": ours["walls"], "seealso_cpu": ours["cpu"],
                   "seealso_rss": ours["rss"]}
            baseline = run_baseline(args, notes, f"tfidf {name} {config}", vectorize)
            if baseline:
                row["baseline"] = {key: baseline[key] for key in ["wall", "walls", "cpu", "rss"]}
                log(f"tfidf {name} {config}: {args.baseline.name} {baseline['wall']:.3f} s")
            if summary["articleCount"] > args.peer_max:
                note = f"scikit-learn skipped on {name} ({summary['articleCount']} documents > --peer-max {args.peer_max})"
                if note not in notes:
                    notes.append(note)
                log(f"tfidf {name} {config}: SeeAlso {ours['wall']:.3f} s; {note}")
                rows.append(row)
                continue
            # scikit-learn's own timing (read to matrix) leaves out ~1-2 s of interpreter start and imports.
            peer_runs = [run_measured([PYTHON, str(PEERS / "sklearn_tfidf.py"), str(data), config]) for _ in range(repeats)]
            peer_seconds = [json.loads(r["stdout"])["seconds"] for r in peer_runs]
            peer_summary = json.loads(peer_runs[-1]["stdout"])
            peer_wall = statistics.median(peer_seconds)
            row.update({
                "peer_terms": peer_summary["terms"], "sklearn_wall": peer_wall, "sklearn_walls": peer_seconds,
                "sklearn_cpu": statistics.median(r["cpu"] for r in peer_runs),
                "sklearn_rss": max(r["rss"] for r in peer_runs),
                "speedup": peer_wall / ours["wall"], "rss_ratio": ours["rss"] / max(r["rss"] for r in peer_runs),
            })
            rows.append(row)
            log(f"tfidf {name} {config}: SeeAlso {ours['wall']:.3f} s, scikit-learn {peer_wall:.3f} s, "
                f"×{peer_wall / ours['wall']:.1f}, RSS {ours['rss'] >> 20} vs {row['sklearn_rss'] >> 20} MiB")
    counted = [(name, data) for name, data in inputs
               if any(r["corpus"] == name and "sklearn_wall" in r for r in rows)]
    return {"rows": rows, "counting": counting_rows(args, counted, notes), "notes": notes}


def counting_rows(args, inputs, notes):
    """Tokenizing and counting alone, one core, texts already in memory: SeeAlso's per-worker kernel
    (`seealso-kernels --count-texts`) beside scikit-learn's CountVectorizer.fit_transform, on each input."""
    if not args.new.kernels:
        notes.append("tokenize-and-count kernel skipped: no seealso-kernels beside the new binary")
        return []
    rows = []
    repeats = str(max(3, args.repeats))
    for name, data in inputs:
        ours = json.loads(run_measured([args.new.kernels, "--count-texts", str(data), "--repeats", repeats, "--quiet"])["stdout"])
        theirs = json.loads(run_measured([PYTHON, str(PEERS / "sklearn_counting.py"), str(data), repeats])["stdout"])
        peer_seconds = statistics.median(theirs["seconds"])
        row = {"corpus": name, "megabytes": ours["textBytes"] / 1e6, "documents": ours["articles"],
               "seealso_terms": ours["terms"], "seealso_entries": ours["entries"], "seealso_seconds": ours["medianSeconds"],
               "seealso_runs": ours["seconds"], "sklearn_terms": theirs["terms"], "sklearn_entries": theirs["stored"],
               "sklearn_seconds": peer_seconds, "sklearn_runs": theirs["seconds"]}
        rows.append(row)
        log(f"tokenize+count {name}: SeeAlso {row['megabytes'] / row['seealso_seconds']:.0f} MB/s, "
            f"scikit-learn {row['megabytes'] / peer_seconds:.1f} MB/s on one core")
    return rows


# ---------------------------------------------------------------------------------------------
# Stage: exact


def load_our_lists(path):
    lists = []
    with open(path) as lines:
        records = [json.loads(line) for line in lines]
    row_of = {record["id"]: row for row, record in enumerate(records)}
    for record in records:
        lists.append([[row_of[item["id"]], item["similarity"]] for item in record["related"]])
    return lists


def compare_lists(ours, theirs, tolerance=1e-5):
    """Rows whose lists differ beyond ties: ids must match wherever the scores are not within tolerance."""
    differing = 0
    for a, b in zip(ours, theirs):
        if [x[0] for x in a] == [x[0] for x in b]:
            continue
        scores_a = [x[1] for x in a]
        scores_b = [x[1] for x in b]
        same_scores = len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(scores_a, scores_b))
        if not same_scores:
            differing += 1
    return differing


def export_mtx(args, data, flags, target):
    if not target.exists() or target.stat().st_mtime < data.stat().st_mtime:
        run_measured([args.seealso, "vectorize", "--input", str(data), *flags, "--export-mtx", str(target), "--quiet"])
    return target


def related_lists(binary, index, k, path):
    """Every article's stored list (`seealso related --all`, written to path) as [[row, similarity], ...] per row."""
    with open(path, "w") as sink:
        sink.write(run_measured([binary.path, "related", "--index", str(index), "--all", "--format", "jsonl", "-k", str(k),
                                 "--min-score", "0", "--duplicate-threshold", "2", "--quiet"])["stdout"])
    return load_our_lists(path)


def lists_agreement(ours, theirs):
    """Whether the baseline's lists equal the new binary's (ids and scores), and the rows differing beyond ties."""
    return {"identical": ours == theirs, "differing_rows": compare_lists(ours, theirs)}


def exact_build(args, binary, data, name, k, repeats):
    """`seealso build --method exact` with the reference settings, repeated (build_figures): (the lists stage's
    seconds, the median run's CPU and the largest peak RSS of the whole process, the lists)."""
    index = WORK / f"{name}{binary.suffix}.index"
    build = build_figures(args, binary, data, "exact", None, k=k, index=index, repeats=repeats, flags=REFERENCE_FLAGS)
    figures = {"seconds": build["lists_seconds"], "runs": build["lists_runs"], "cpu": build["cpu"], "rss": build["rss"]}
    return figures, related_lists(binary, index, k, WORK / f"{name}{binary.suffix}.lists.jsonl")


def stage_exact(args, corpora):
    """Exact all-pairs top-10 cosine on the same TF-IDF matrix: SeeAlso vs sparse_dot_topn and
    scikit-learn NearestNeighbors(brute, cosine)."""
    rows, notes = [], []
    k = 10
    for corpus in corpora:
        data = plain_copy(corpus)
        mtx = export_mtx(args, data, REFERENCE_FLAGS, WORK / f"{corpus.name}.mtx")
        figures, ours = exact_build(args, args.new, data, corpus.name, k, args.repeats)
        ours_seconds = figures["seconds"]
        row = {"corpus": corpus.name, "documents": len(ours), "seealso_seconds": ours_seconds, "seealso_runs": figures["runs"],
               "seealso_cpu": figures["cpu"], "seealso_rss": figures["rss"]}
        baseline = run_baseline(args, notes, f"exact {corpus.name}",
                                lambda binary: exact_build(args, binary, data, corpus.name, k, args.repeats))
        if baseline:
            row["baseline"] = {**baseline[0], **lists_agreement(ours, baseline[1])}
            log(f"exact {corpus.name}: {args.baseline.name} {baseline[0]['seconds']:.2f} s, "
                f"rows differing beyond ties: {row['baseline']['differing_rows']}")
        for peer in ["sparse_dot_topn", "sklearn_brute"]:
            peer_seconds, peer_cpu, peer_rss = [], [], []
            out = WORK / f"{corpus.name}.{peer}.json"
            for _ in range(args.repeats if peer == "sparse_dot_topn" else 1):
                result = run_measured([PYTHON, str(PEERS / "topn_peers.py"), str(mtx), str(k), peer, str(out)])
                peer_seconds.append(json.loads(result["stdout"])["seconds"])
                peer_cpu.append(result["cpu"])
                peer_rss.append(result["rss"])
            theirs = json.load(open(out))
            row[f"{peer}_seconds"] = statistics.median(peer_seconds)
            row[f"{peer}_runs"] = peer_seconds
            row[f"{peer}_cpu"] = statistics.median(peer_cpu)
            row[f"{peer}_rss"] = max(peer_rss)
            row[f"{peer}_speedup"] = statistics.median(peer_seconds) / ours_seconds
            row[f"{peer}_differing_rows"] = compare_lists(ours, theirs)
            log(f"exact {corpus.name}: SeeAlso {ours_seconds:.2f} s, {peer} {row[f'{peer}_seconds']:.2f} s "
                f"(×{row[f'{peer}_speedup']:.1f}), rows differing beyond ties: {row[f'{peer}_differing_rows']}")
        rows.append(row)
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: quality

QUALITY_CONFIGS = [
    ("scikit-learn reference (sublinear, min_df 2, max_df 0.5, English stop words, title = body)", REFERENCE_FLAGS),
    ("news defaults", ["--preset", "news"]),
    ("news, title weight 1", ["--preset", "news", "--title-weight", "1"]),
    ("news, title weight 3", ["--preset", "news", "--title-weight", "3"]),
    ("news, raw tf", ["--preset", "news", "--no-sublinear-tf"]),
    ("news, min_df 1", ["--preset", "news", "--min-df", "1"]),
    ("news, max_df 0.2", ["--preset", "news", "--max-df", "0.2"]),
    ("news, stemming", ["--preset", "news", "--stemming"]),
    ("news, unigrams + bigrams", ["--preset", "news", "--ngram-range", "1,2"]),
    ("news, bigrams + stemming", ["--preset", "news", "--ngram-range", "1,2", "--stemming"]),
]
QUALITY_CORPORA = [("ecbplus", "event"), ("wikinewssum_en_sample", "event"), ("20ng", "label")]


def quality_lists(binary, path, name, gold, flags):
    """`seealso build --method exact` with the flags, then `seealso eval`: (the metrics, the index)."""
    index = WORK / f"quality-{name}{binary.suffix}.index"
    run_measured([binary.path, "build", "--input", str(path), *flags, "--method", "exact", "--k", "10",
                  "--index", str(index), "--quiet"])
    metrics = json.loads(run_measured([binary.path, "eval", "--index", str(index), "--gold", gold, "--format", "json"])["stdout"])
    return metrics, index


def stage_quality(args, corpora):
    """Related-list quality of exact TF-IDF cosine under each analysis choice, on the shared corpora
    with gold stories (event P@1) or topics (label P@10)."""
    rows, notes = [], []
    for name, gold in QUALITY_CORPORA:
        if args.quick and name == "20ng":
            continue
        path = corpora_dir() / f"{name}.jsonl.gz"
        for label, flags in QUALITY_CONFIGS:
            metrics, index = quality_lists(args.new, path, name, gold, flags)
            rows.append({"corpus": name, "gold": gold, "config": label, "flags": " ".join(flags), **metrics})
            log(f"quality {name} {label}: P@1 {metrics['precisionAt1']:.3f} P@10 {metrics['precisionAtK']:.3f}")
            baseline = run_baseline(args, notes, f"quality {name} {label}",
                                    lambda binary: quality_lists(binary, path, name, gold, flags))
            if baseline:
                theirs, their_index = baseline
                ours = related_lists(args.new, index, 10, WORK / f"quality-{name}.lists.jsonl")
                rows[-1]["baseline"] = {**theirs, **lists_agreement(ours, related_lists(
                    args.baseline, their_index, 10, WORK / f"quality-{name}.baseline.lists.jsonl"))}
                log(f"quality {name} {label}: {args.baseline.name} P@1 {theirs['precisionAt1']:.3f} "
                    f"P@10 {theirs['precisionAtK']:.3f}, lists identical: {rows[-1]['baseline']['identical']}")
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: dense


# Helpers that prepare or score data (not timed): one BLAS thread, since several OpenBLAS threads on a
# busy 2-core machine spin and make a 3 s SVD take 30 s.
HELPER_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def random_unit_vectors(n, d):
    import numpy as np
    folder = WORK / "dense"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"random-{size_label(n)}-{d}.f32"
    if not path.exists():
        rng = np.random.default_rng(1000 * n + d)
        X = rng.standard_normal((n, d), dtype=np.float32)
        X /= np.linalg.norm(X, axis=1, keepdims=True)
        X.astype("<f4").tofile(path)
    return path


def lsa_vectors(args, corpus, d):
    data = plain_copy(corpus)
    mtx = export_mtx(args, data, REFERENCE_FLAGS, WORK / f"{corpus.name}.mtx")
    folder = WORK / "dense"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"lsa-{corpus_name(corpus)}-{d}.f32"
    if not path.exists() or path.stat().st_mtime < mtx.stat().st_mtime:
        summary = last_json(run_measured([PYTHON, str(PEERS / "lsa_vectors.py"), str(mtx), str(d), str(path)], env=HELPER_ENV)["stdout"])
        log(f"dense: LSA-{summary['dimension']} of {corpus.name} by TruncatedSVD in {summary['seconds']:.1f} s")
    return path


def ivf_lists(n):
    """SeeAlso's default partition count for n vectors (ApproximateAllPairs: max(16, n / 1000))."""
    return max(16, n // 1000)


def dense_run(binary, path, d, k, repeats, ids, ivf=None):
    """Dense all-pairs top-k of the vectors (`seealso-kernels --dense-vectors`, or `seealso bench --dense-vectors`
    for a binary without seealso-kernels), lists written to ids. ivf = (nlist, nprobe, ids) also runs SeeAlso's
    own IVF search over the raw vectors, which only `seealso bench` has (the report's `partitioned`)."""
    partitioned = ["--partitions", str(ivf[0]), "--probes", str(ivf[1]), "--partitioned-lists-out", str(ivf[2])] if ivf else []
    result = run_measured(binary.kernel_command("--dense-vectors", str(path), "--dimension", str(d), "--k", str(k),
                                                "--repeats", str(repeats), "--lists-out", str(ids), *partitioned, "--quiet"))
    return {**json.loads(result["stdout"]), "program": binary.kernels_program,
            "wall": result["wall"], "cpu": result["cpu"], "rss": result["rss"]}


def dense_row(args, notes, kind, name, path, d, k=10):
    n = path.stat().st_size // (4 * d)
    repeats = repeats_for(args, n)
    ids = {system: path.with_suffix(f".{system}.ids") for system in ["seealso", "seealso_ivf", "baseline", "flat", "ivf"]}
    nlist, nprobe = ivf_lists(n), 8
    ivf = None if args.new.kernels else (nlist, nprobe, ids["seealso_ivf"])
    row = {"kind": kind, "vectors": name, "n": n, "d": d, "k": k,
           "seealso": dense_run(args.new, path, d, k, repeats, ids["seealso"], ivf)}
    baseline = run_baseline(args, notes, f"dense {name} d={d}",
                            lambda binary: dense_run(binary, path, d, k, repeats, ids["baseline"]))
    if baseline:
        row["baseline"] = baseline
    for peer, extra in [("flat", []), ("ivf", [str(nlist), str(nprobe)])]:
        runs = [run_measured([PYTHON, str(PEERS / "faiss_dense.py"), str(path), str(d), str(k), peer, str(ids[peer]), *extra])
                for _ in range(repeats)]
        figures = [last_json(r["stdout"]) for r in runs]
        seconds = [f["seconds"] for f in figures]
        middle = figures[seconds.index(statistics.median_low(seconds))]
        row[f"faiss_{peer}"] = {**middle, "seconds": statistics.median(seconds), "runs": seconds,
                                "cpu": statistics.median(r["cpu"] for r in runs), "rss": max(r["rss"] for r in runs)}
    scored = {"recall_seealso": ids["seealso"], "recall_ivf": ids["ivf"]}
    if ivf:
        scored["recall_seealso_ivf"] = ids["seealso_ivf"]
    if baseline:
        scored["recall_baseline"] = ids["baseline"]
    recalls = last_json(run_measured([PYTHON, str(PEERS / "recall.py"), str(path), str(d), str(k), str(ids["flat"]),
                                      *map(str, scored.values())], env=HELPER_ENV)["stdout"])
    row.update({key: recalls[str(list_path)] for key, list_path in scored.items()})
    s = row["seealso"]
    log(f"dense {name} n={n} d={d}: SeeAlso {s['allPairsSeconds']:.2f} s ({s['allPairsGflops']:.0f} GFLOP/s, "
        f"{100 * s['fractionOfSgemm']:.0f}% of tiled sgemm), FAISS flat {row['faiss_flat']['seconds']:.2f} s, "
        f"IVF {nlist}/{nprobe} {row['faiss_ivf']['seconds']:.2f} s recall {row['recall_ivf']:.3f}; "
        f"SeeAlso recall {row['recall_seealso']:.4f}"
        + (f"; SeeAlso IVF {s['partitioned']['seconds']:.2f} s recall {row['recall_seealso_ivf']:.3f}" if ivf else "")
        + (f"; {args.baseline.name} {baseline['allPairsSeconds']:.2f} s recall {row['recall_baseline']:.4f}" if baseline else ""))
    return row


def stage_dense(args, corpora):
    """Dense all-pairs top-10 on the same unit vectors: random vectors at --dense-sizes (speed) and LSA
    vectors of the corpora (recall of FAISS IVF against exact)."""
    rows, notes = [], []
    for n in args.dense_size_list:
        for d in DENSE_DIMENSIONS:
            rows.append(dense_row(args, notes, "random", f"random-{size_label(n)}", random_unit_vectors(n, d), d))
    for corpus in corpora:
        for d in DENSE_DIMENSIONS:
            rows.append(dense_row(args, notes, "lsa", f"LSA of {corpus_name(corpus)}", lsa_vectors(args, corpus, d), d))
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: partitioned


def build_figures(args, binary, data, method, n, k=10, index=None, repeats=None, flags=()):
    """`seealso build --method M --k K` (news defaults, or the given analysis flags), repeated by median_run (default:
    repeats_for n), timed by its `lists` stage: the median lists seconds and wall time, the median run's CPU and
    summary, the largest peak RSS. The index is left in `index` when one is given (the last run's), else built in
    Benchmarks/work/synth and removed."""
    target = index or WORK / "synth" / f"{data.stem}.{method}{binary.suffix}.index"
    run = median_run([binary.path, "build", "--input", str(data), *flags, "--method", method, "--k", str(k),
                      "--index", str(target), "--format", "json", "--quiet"], repeats or repeats_for(args, n),
                     key=lambda result: json.loads(result["stdout"])["stageSeconds"]["lists"])
    summary = json.loads(run["stdout"])
    if index is None:
        shutil.rmtree(target, ignore_errors=True)
    recall_check = sum(v for key, v in summary["stageSeconds"].items() if key.startswith("recall check"))
    return {"wall": run["wall"], "cpu": run["cpu"], "rss": run["rss"], "lists_seconds": run["seconds"], "lists_runs": run["runs"],
            "vectorize_seconds": summary["stageSeconds"].get("vectorize"), "write_seconds": summary.get("writeSeconds"),
            "recall_check_seconds": recall_check, "recall": summary.get("measuredRecall", 1.0 if method == "exact" else None),
            "stage_seconds": summary["stageSeconds"], "vocabulary": field(summary, "termCount", "vocabulary"),
            "articles": field(summary, "articleCount", "articles")}


def build_line(figures):
    recall = figures["recall"] if figures["recall"] is not None else float("nan")
    return (f"lists {figures['lists_seconds']:.2f} s, build {figures['wall']:.2f} s, recall@10 {recall:.3f}, "
            f"RSS {figures['rss'] >> 20} MiB")


def stage_partitioned(args, corpora):
    """`seealso build` (--method partitioned, dense, exact) on synthetic archives of --sizes; sparse_dot_topn
    on the same TF-IDF matrix as the exact peer."""
    rows, notes = [], []
    for n in args.size_list:
        data = synth_archive(args, n)
        row = {"n": n, "label": size_label(n), "megabytes": round(data.stat().st_size / 1e6, 1), "systems": {}}
        for method in ["partitioned", "dense", "exact"]:
            limit = {"dense": args.dense_max, "exact": args.exact_max}.get(method)
            if limit is not None and n > limit:
                notes.append(f"{method} skipped at {size_label(n)} (> --{method}-max {limit})")
                continue
            row["systems"][method], baseline = measure_both(args, notes, f"partitioned {size_label(n)} {method}",
                                                            lambda binary: build_figures(args, binary, data, method, n),
                                                            build_line)
            if baseline:
                row.setdefault("baseline", {})[method] = baseline
        if n <= args.peer_max:
            mtx = export_mtx(args, data, ["--preset", "news"], data.with_suffix(".news.mtx"))
            runs = [run_measured([PYTHON, str(PEERS / "topn_peers.py"), str(mtx), "10", "sparse_dot_topn",
                                  str(data.with_suffix(".sparse_dot_topn.json"))]) for _ in range(repeats_for(args, n))]
            seconds = [json.loads(r["stdout"])["seconds"] for r in runs]
            row["systems"]["sparse_dot_topn"] = {"lists_seconds": statistics.median(seconds), "lists_runs": seconds,
                                                 "cpu": statistics.median(r["cpu"] for r in runs),
                                                 "rss": max(r["rss"] for r in runs), "recall": 1.0}
            log(f"partitioned {size_label(n)} sparse_dot_topn: {statistics.median(seconds):.2f} s")
        else:
            notes.append(f"sparse_dot_topn skipped at {size_label(n)} (> --peer-max {args.peer_max})")
        rows.append(row)
    return {"rows": rows, "notes": notes}


ADDED_ARTICLES = 1000


def split_newest(archive, n, folder):
    """The archive's first n articles (the index's) and the rest (the newest, to add) as two files in folder."""
    first, newest = folder / f"{archive.stem}.first-{size_label(n)}.jsonl", folder / f"{archive.stem}.newest.jsonl"
    with open(archive, "rb") as source, open(first, "wb") as old, open(newest, "wb") as new:
        for number, line in enumerate(source):
            (old if number < n else new).write(line)
    return first, newest


def sampled_recall(args, notes, index, first_row=None):
    """recall@10 of the stored lists against exact lists on 200 sampled articles (rows ≥ first_row when given),
    always by the new binary's `seealso eval --recall-sample` (older binaries lack it); None when it fails."""
    rows = ["--recall-from", str(first_row)] if first_row is not None else []
    try:
        return last_json(run_measured([args.new.path, "eval", "--index", str(index), "--recall-sample", "200", *rows,
                                       "--format", "json"])["stdout"])["measuredRecall"]
    except (RuntimeError, ValueError, KeyError) as error:
        note = f"no recall: `seealso eval --recall-sample` failed: {failure_text(error)}"
        if note not in notes:
            notes.append(note)
        return None


def add_figures(args, notes, binary, index, newest, n):
    """`seealso add` of the newest articles to a hard-link copy of the index (safe: generations are never
    modified in place), fresh for every repeat; then the recall of the added articles' lists and of all lists."""
    copy = index.with_name(f"{index.name}{binary.suffix}.copy")

    def fresh_copy():
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["cp", "-al", str(index), str(copy)], check=True)

    run = median_run([binary.path, "add", "--index", str(copy), "--input", str(newest), "--format", "json", "--quiet"],
                     repeats_for(args, n), before=fresh_copy)
    summary = json.loads(run["stdout"])
    figures = {"wall": run["wall"], "walls": run["walls"], "cpu": run["cpu"], "rss": run["rss"],
               "seconds": field(summary, "wallSeconds", "seconds"), "added": field(summary, "addedCount", "added"),
               "articles": field(summary, "articleCount", "articles"),
               "out_of_vocabulary_rate": summary.get("outOfVocabularyRate"), "refit": summary.get("refit"),
               "recall_added": sampled_recall(args, notes, copy, first_row=n), "recall_all": sampled_recall(args, notes, copy)}
    shutil.rmtree(copy, ignore_errors=True)
    return figures


def add_line(figures):
    recalls = [f"{value:.3f}" if value is not None else "–" for value in (figures["recall_added"], figures["recall_all"])]
    return (f"add {figures['wall']:.2f} s, CPU {figures['cpu']:.1f} s, RSS {figures['rss'] >> 20} MiB, "
            f"recall@10 added {recalls[0]}, all {recalls[1]}")


def stage_add(args, corpora):
    """`seealso add` of the newest 1,000 articles of `seealso synth --articles N+1000 --seed 1` to a partitioned
    index of its first N (--add-sizes), built once by the new binary; each binary adds to its own hard-link copy."""
    rows, notes = [], []
    folder = WORK / "add"
    for n in args.add_size_list:
        archive = synth_archive(args, n + ADDED_ARTICLES)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        first, newest = split_newest(archive, n, folder)
        index = folder / f"synth-{size_label(n)}.partitioned.index"
        build = build_figures(args, args.new, first, "partitioned", n, index=index, repeats=1)
        first.unlink()
        log(f"add {size_label(n)}: index of the first {n} articles: {build_line(build)}")
        ours, baseline = measure_both(args, notes, f"add {size_label(n)}",
                                      lambda binary: add_figures(args, notes, binary, index, newest, n), add_line)
        # "newest": the articles given to `seealso add`; each binary's "added" is how many it reports adding.
        row = {"n": n, "label": size_label(n), "archive": f"synth-{size_label(n + ADDED_ARTICLES)}", "newest": ADDED_ARTICLES,
               "index": build, **ours}
        if baseline:
            row["baseline"] = baseline
        rows.append(row)
        shutil.rmtree(folder, ignore_errors=True)
    return {"rows": rows, "notes": notes}


def stage_realism(args, corpora):
    """scripts/synth/realism.py on the synthetic archives of --sizes up to --peer-max: whether exact TF-IDF
    neighbours are mostly same-story articles, as on ECB+."""
    rows, notes = [], []
    for n in args.size_list:
        if n > args.peer_max:
            notes.append(f"{size_label(n)} skipped (> --peer-max {args.peer_max}: scikit-learn computes the neighbours)")
            continue
        data = synth_archive(args, n)
        result = run_measured([PYTHON, str(ROOT / "scripts" / "synth" / "realism.py"), str(data), "--sample", "2000"],
                              env=HELPER_ENV)
        rows.append({"label": size_label(n), **last_json(result["stdout"])})
        log(f"realism synth-{size_label(n)}: event P@1 {rows[-1]['event_p_at_1']:.3f}")
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: churn (the live archive: `seealso update` and `seealso delete`)

CHURN_BATCH = 1000  # articles updated, and articles deleted, in each operation measurement
CHURN_ROUNDS = 10
CHURN_FRACTION = 0.10  # of the index's articles over all rounds: half updated, half deleted (and as many added)
CHURN_SECONDS_TARGET = 30.0
CHURN_RSS_TARGET = 8 * 10 ** 9  # bytes (8 GB)
CHURN_RECALL_TARGET = 0.95


def has_live_commands(args):
    """Whether the binary has `update` and `delete` (an unknown subcommand's --help prints the top-level help and
    exits 0, so the usage line is what tells)."""
    return all(f"seealso {command} " in subprocess.run([args.seealso, command, "--help"], capture_output=True,
                                                      text=True).stdout for command in ("update", "delete"))


def archive_rows(archive, rows):
    """{row number: line} for the given rows of a JSON Lines file, in one pass (the other lines are not parsed)."""
    wanted, found = set(rows), {}
    last = max(wanted)
    with open(archive, "r", encoding="utf-8") as source:
        for number, line in enumerate(source):
            if number in wanted:
                found[number] = line if line.endswith("\n") else line + "\n"
            if number >= last:
                break
    return found


def article_id(line):
    return json.loads(line)["id"]


def replaced_text(line, new_line):
    """The article of new_line (title, body, date, every field) under the id of the article of line: an update."""
    return json.dumps({**json.loads(new_line), "id": article_id(line)}, ensure_ascii=False) + "\n"


def write_archive(archive, n, target, drop=(), append=()):
    """The archive's first n lines without the rows in drop, then the lines of append: the archive a user would
    rebuild after an update (the updated articles at the end, as `seealso update` orders them) or a delete."""
    drop = set(drop)
    with open(archive, "r", encoding="utf-8") as source, open(target, "w", encoding="utf-8") as sink:
        for number, line in enumerate(source):
            if number >= n:
                break
            if number not in drop:
                sink.write(line if line.endswith("\n") else line + "\n")
        sink.writelines(append)
    return target


def live_summary(run):
    """The figures of one `seealso update / delete / add --format json` run (run_measured's or median_run's dict)."""
    summary = last_json(run["stdout"])
    changes = summary.get("changes") or {}
    return {"wall": run["wall"], "cpu": run["cpu"], "rss": run["rss"], "seconds": field(summary, "wallSeconds", "seconds"),
            "operation": summary.get("operation"), "generation": summary.get("generation"),
            "added": field(summary, "addedCount", "added"), "updated": field(summary, "updatedCount", "updated"),
            "deleted": field(summary, "deletedCount", "deleted"), "articles": field(summary, "articleCount", "articles"),
            "compacted": summary.get("compacted"),
            "lists_changed": len(changes["listsChanged"]) if "listsChanged" in changes else None,
            "stage_seconds": {stage["name"]: field(stage, "wallSeconds", "seconds") for stage in summary.get("stages", [])}}


def live_command(args, operation, index, payload):
    """`seealso update --input FILE`, `seealso add --input FILE` or `seealso delete --ids-file FILE` on index."""
    source = ["--ids-file", str(payload)] if operation == "delete" else ["--input", str(payload)]
    return [args.new.path, operation, "--index", str(index), *source, "--format", "json", "--quiet"]


def churn_index(args, notes, n, folder):
    """(the partitioned index of the first n articles of synth-(n+1000), its build figures or None when reused): the
    add stage's index when Benchmarks/work/add still holds one of n unchanged articles, else built the same way."""
    archive = synth_archive(args, n + ADDED_ARTICLES)
    shared = WORK / "add" / f"synth-{size_label(n)}.partitioned.index"
    if (shared / "CURRENT").exists():
        try:
            info = json.loads(run_measured([args.new.path, "info", "--index", str(shared), "--format", "json"])["stdout"])
            if (info.get("method"), info.get("k"), info.get("articleCount"), info.get("deletedRowCount"),
                    info.get("addedSinceFitCount")) == ("partitioned", 10, n, 0, 0):
                notes.append(f"{size_label(n)}: the add stage's index {display_path(shared)} reused (no build figures)")
                return archive, shared, None
        except (RuntimeError, ValueError) as error:
            log(f"churn {size_label(n)}: not reusing {shared}: {failure_text(error)}")
    first, newest = split_newest(archive, n, folder)
    newest.unlink()
    index = folder / f"synth-{size_label(n)}.partitioned.index"
    build = build_figures(args, args.new, first, "partitioned", n, index=index, repeats=1)
    first.unlink()
    log(f"churn {size_label(n)}: index of the first {n} articles: {build_line(build)}")
    return archive, index, build


def operation_figures(args, notes, operation, index, payload, n, folder):
    """`seealso update` or `seealso delete` of CHURN_BATCH articles on a hard-link copy of the index, fresh for every
    repeat (generations are never modified in place), timed by median_run; then recall@10 of all lists and, for an
    update, of the updated articles' own lists (rows ≥ n: an updated article moves to the end of the order)."""
    copy = folder / f"{index.name}.{operation}.copy"

    def fresh_copy():
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["cp", "-al", str(index), str(copy)], check=True)

    run = median_run(live_command(args, operation, copy, payload), repeats_for(args, n), before=fresh_copy)
    figures = {**live_summary(run), "walls": run["walls"],
               "recall_changed": sampled_recall(args, notes, copy, first_row=n) if operation == "update" else None,
               "recall_all": sampled_recall(args, notes, copy)}
    shutil.rmtree(copy, ignore_errors=True)
    return figures


def operation_line(figures):
    recalls = [f"{value:.3f}" if value is not None else "–" for value in (figures["recall_changed"], figures["recall_all"])]
    return (f"{figures['operation']} {figures['wall']:.2f} s, CPU {figures['cpu']:.1f} s, RSS {figures['rss'] >> 20} MiB, "
            f"{figures['lists_changed']} lists changed, compacted {figures['compacted']}, recall@10 changed {recalls[0]}, "
            f"all {recalls[1]}")


def rebuild_figures(args, notes, data, n, folder, name):
    """`seealso build` of data with the index build's flags (partitioned, k 10, news defaults): what a user without
    update/delete would run instead; its time and its lists' recall@10 (eval's sample, as for the live index)."""
    index = folder / f"{name}.index"
    figures = build_figures(args, args.new, data, "partitioned", n, index=index)
    figures["sampled_recall"] = sampled_recall(args, notes, index)
    shutil.rmtree(index, ignore_errors=True)
    data.unlink()
    return figures


def target_text(met):
    return "met" if met else "NOT met"


def churn_operations_row(args, notes, n, folder):
    """Update, then delete, of CHURN_BATCH articles (distinct random ones, seed 1) of the partitioned index of n
    articles, each on a fresh hard-link copy; beside each, a full rebuild of the archive it leaves."""
    archive, index, build = churn_index(args, notes, n, folder)
    picks = random.Random(1).sample(range(n), 2 * CHURN_BATCH)
    updates, deletes = sorted(picks[:CHURN_BATCH]), sorted(picks[CHURN_BATCH:])
    lines = archive_rows(archive, [*picks, *range(n, n + CHURN_BATCH)])
    # Each updated article takes the text (title, body, date, every field) of one of the newest articles.
    updated = [replaced_text(lines[row], lines[n + i]) for i, row in enumerate(updates)]
    update_file, ids_file = folder / "update.jsonl", folder / "delete.ids"
    update_file.write_text("".join(updated), encoding="utf-8")
    ids_file.write_text("".join(article_id(lines[row]) + "\n" for row in deletes), encoding="utf-8")
    row = {"case": "operations", "n": n, "label": size_label(n), "archive": f"synth-{size_label(n + ADDED_ARTICLES)}",
           "batch": CHURN_BATCH, "index": build, "index_reused": build is None}
    for operation, payload, drop, append in [("update", update_file, updates, updated), ("delete", ids_file, deletes, ())]:
        what = f"churn {size_label(n)} {operation}"
        figures = operation_figures(args, notes, operation, index, payload, n, folder)
        log(f"{what}: {operation_line(figures)}")
        rebuild = rebuild_figures(args, notes, write_archive(archive, n, folder / f"rebuild-{operation}.jsonl", drop, append),
                                  n - len(drop) + len(append), folder, f"rebuild-{operation}")
        log(f"{what}: full rebuild instead: {build_line(rebuild)}")
        row[operation] = {**figures, "rebuild": rebuild}
        fast, small = figures["wall"] <= CHURN_SECONDS_TARGET, figures["rss"] <= CHURN_RSS_TARGET
        scope = "" if n == 1_000_000 else " (the targets are set for 1m)"
        notes.append(f"target, {operation} of {CHURN_BATCH:,} articles of {size_label(n)}{scope}: ≤ {CHURN_SECONDS_TARGET:.0f} s "
                     f"{target_text(fast)} ({figures['wall']:.2f} s), ≤ 8 GB peak RSS {target_text(small)} "
                     f"({figures['rss'] / 1e9:.2f} GB); a full rebuild took {rebuild['wall']:.1f} s "
                     f"(×{rebuild['wall'] / figures['wall']:.0f} the {operation})")
    update_file.unlink()
    ids_file.unlink()
    if build is not None:
        shutil.rmtree(index, ignore_errors=True)
    return row


def churn_recall_row(args, notes, m, folder):
    """CHURN_FRACTION of the partitioned index of m articles churned in CHURN_ROUNDS rounds, each `seealso update` of
    1/(2·rounds) of them (the text of a later article under the same id), `seealso delete` of as many others and
    `seealso add` of as many new articles (random distinct originals, seed 1; the new texts and articles come from
    synth-(m + 2·churned) after its first m); recall@10 of all lists before and after, against a fresh build of the
    surviving articles."""
    per_round = max(1, round(m * CHURN_FRACTION / CHURN_ROUNDS / 2))
    churned = per_round * CHURN_ROUNDS
    archive = synth_archive(args, m + 2 * churned)
    first, newest = split_newest(archive, m, folder)
    newest.unlink()
    index = folder / f"synth-{size_label(m)}.churn.index"
    build = build_figures(args, args.new, first, "partitioned", m, index=index, repeats=1)
    first.unlink()
    log(f"churn recall {size_label(m)}: index of the first {m} articles: {build_line(build)}")
    recall_before = sampled_recall(args, notes, index)
    picks = random.Random(1).sample(range(m), 2 * churned)
    updates, deletes = picks[:churned], picks[churned:]
    lines = archive_rows(archive, [*picks, *range(m, m + 2 * churned)])
    rounds, survivors_tail = [], []
    for number in range(CHURN_ROUNDS):
        part = slice(number * per_round, (number + 1) * per_round)
        updated = [replaced_text(lines[row], lines[m + number * per_round + i]) for i, row in enumerate(updates[part])]
        added = [lines[m + churned + number * per_round + i] for i in range(per_round)]
        payloads = {"update": folder / "round.update.jsonl", "delete": folder / "round.delete.ids",
                    "add": folder / "round.add.jsonl"}
        payloads["update"].write_text("".join(updated), encoding="utf-8")
        payloads["delete"].write_text("".join(article_id(lines[row]) + "\n" for row in deletes[part]), encoding="utf-8")
        payloads["add"].write_text("".join(added), encoding="utf-8")
        steps = {}
        for operation in ["update", "delete", "add"]:
            steps[operation] = live_summary(run_measured(live_command(args, operation, index, payloads[operation])))
            payloads[operation].unlink()
        survivors_tail += updated + added
        rounds.append({"round": number + 1, **steps})
        log(f"churn recall {size_label(m)} round {number + 1}: "
            + ", ".join(f"{op} {s['wall']:.2f} s ({s['lists_changed']} lists)" for op, s in steps.items())
            + f", {steps['add']['articles']} articles, compacted "
            + "/".join(str(s["compacted"]) for s in steps.values()))
    recall_after = sampled_recall(args, notes, index)
    churn_seconds = sum(s["wall"] for r in rounds for s in (r["update"], r["delete"], r["add"]))
    log(f"churn recall {size_label(m)}: {CHURN_ROUNDS} rounds in {churn_seconds:.1f} s, recall@10 before "
        f"{recall_before}, after {recall_after}")
    info = json.loads(run_measured([args.new.path, "info", "--index", str(index), "--format", "json"])["stdout"])
    shutil.rmtree(index, ignore_errors=True)
    survivors = write_archive(archive, m, folder / "survivors.jsonl", updates + deletes, survivors_tail)
    fresh = rebuild_figures(args, notes, survivors, m, folder, "fresh")
    log(f"churn recall {size_label(m)}: fresh build of the surviving articles: {build_line(fresh)}, "
        f"eval recall@10 {fresh['sampled_recall']}")
    row = {"case": "churn", "n": m, "label": size_label(m), "archive": f"synth-{size_label(m + 2 * churned)}",
           "rounds": rounds, "per_round": per_round, "updated": churned, "deleted": churned, "added": churned,
           "churn_seconds": churn_seconds, "churn_cpu": sum(s["cpu"] for r in rounds for s in (r["update"], r["delete"], r["add"])),
           "rss": max(s["rss"] for r in rounds for s in (r["update"], r["delete"], r["add"])),
           "lists_changed": sum(s["lists_changed"] or 0 for r in rounds for s in (r["update"], r["delete"], r["add"])),
           "compactions": sum(bool(s["compacted"]) for r in rounds for s in (r["update"], r["delete"], r["add"])),
           "articles_after": rounds[-1]["add"]["articles"], "deleted_rows_after": info["deletedRowCount"],
           "recall_before": recall_before, "recall_after": recall_after, "index": build, "fresh": fresh}
    if recall_after is not None:
        notes.append(f"target, recall@10 ≥ {CHURN_RECALL_TARGET} after {CHURN_FRACTION:.0%} churn of {size_label(m)}"
                     f"{'' if m == 200_000 else ' (the target is set for 200k)'}: {target_text(recall_after >= CHURN_RECALL_TARGET)} "
                     f"({recall_after:.3f}; before the churn {seconds_text(recall_before, 3)}, fresh build of the surviving "
                     f"articles {seconds_text(fresh['sampled_recall'], 3)})")
    return row


def stage_churn(args, corpora):
    """The live archive: `seealso update` and `seealso delete` of 1,000 articles of a partitioned index of N articles
    (--churn-sizes) beside a full rebuild, and recall@10 after 10% churn (updates, deletes, adds) of an index of
    --churn-recall-size articles beside a fresh build. SeeAlso only: no baseline has update/delete."""
    rows, notes = [], []
    if not has_live_commands(args):
        return {"rows": [], "notes": ["skipped: this seealso has no `update` / `delete` commands yet"]}
    if args.baseline:
        notes.append(f"{args.baseline.name} not run: update and delete are new (no baseline has them); the reference is a "
                     "full rebuild by SeeAlso")
    folder = WORK / "churn"
    for n in args.churn_size_list:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        rows.append(churn_operations_row(args, notes, n, folder))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rows.append(churn_recall_row(args, notes, args.churn_recall_size, folder))
    shutil.rmtree(folder, ignore_errors=True)
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stages: kmeans and stories

KMEANS_CORPORA = [("20ng", "label"), ("reuters_modapte_single", "label"), ("agnews_test", "label"), ("ecbplus", "event"),
                  ("wikinewssum_en_sample", "event"), ("synth-100k", "label")]
QUICK_KMEANS_CORPORA = [("agnews_test", "label"), ("ecbplus", "event")]
KMEANS_LABELS = {
    ("seealso", "tfidf"): "SeeAlso k-means on TF-IDF rows",
    ("sklearn", "tfidf"): "scikit-learn KMeans on TF-IDF rows",
    ("seealso", "lsa"): "SeeAlso LSA + k-means (cluster defaults)",
    ("sklearn", "lsa"): "scikit-learn TruncatedSVD + KMeans",
    ("seealso", "same-vectors"): "SeeAlso k-means stage on its LSA vectors",
    ("sklearn", "same-vectors"): "scikit-learn KMeans on SeeAlso's LSA vectors",
    ("faiss", "same-vectors"): "FAISS k-means on SeeAlso's LSA vectors",
}


def has_cluster_command(args):
    return subprocess.run([args.seealso, "cluster", "--help"], capture_output=True).returncode == 0


def reuters_modapte_single():
    """Reuters-21578 ModApte (train + test) articles with exactly one topic, the usual clustering subset
    (9,133 articles, 66 topics), written once into Benchmarks/work/kmeans."""
    target = WORK / "kmeans" / "reuters_modapte_single.jsonl"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with gzip.open(corpora_dir() / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as source, \
                open(partial, "w", encoding="utf-8") as out:
            for line in source:
                record = json.loads(line)
                if record.get("modapte") in ("train", "test") and len(record.get("topics") or []) == 1:
                    out.write(line if line.endswith("\n") else line + "\n")
        partial.rename(target)
    return target


def kmeans_corpus(args, name):
    """The archive behind a KMEANS_CORPORA name: a shared corpus, the Reuters subset or a synthetic archive."""
    if name == "reuters_modapte_single":
        return reuters_modapte_single()
    if name.startswith("synth-"):
        return synth_archive(args, parse_size(name[len("synth-"):]))
    return corpora_dir() / f"{name}.jsonl.gz"


def gold_values(path, field):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line).get(field) or None for line in lines]


def summarize_runs(tool, representation, runs):
    aris = [r["ari"] for r in runs if r.get("ari") is not None]
    nmis = [r["nmi"] for r in runs if r.get("nmi") is not None]
    cpus = [r["cpu"] for r in runs if r.get("cpu") is not None]
    return {"tool": tool, "representation": representation, "seconds": statistics.median(r["seconds"] for r in runs),
            "nmi": statistics.mean(nmis) if nmis else None, "ari": statistics.mean(aris) if aris else None,
            "cpu": statistics.median(cpus) if cpus else None, "rss": max(r["rss"] for r in runs), "runs": runs}


def kmeans_label(args, tool, representation):
    """A system's row label; the baseline's ("seealso-baseline") are SeeAlso's with the baseline's name."""
    if tool == "seealso-baseline":
        return KMEANS_LABELS[("seealso", representation)].replace("SeeAlso", args.baseline.name, 1)
    return KMEANS_LABELS.get((tool, representation), f"{tool} {representation}")


def kmeans_with_peers(args, notes, script, path, gold, k, seeds, folder):
    """Runs the clustering engineer's peers/kmeans_peers.py (SeeAlso `cluster`, the baseline's right after it when
    there is one, and the peers, same k and n_init, on the TF-IDF rows, on LSA, and on SeeAlso's exported LSA
    vectors) over an index built from the corpus with the scikit-learn reference settings. Returns (systems,
    dimensions, process figures)."""
    name = corpus_name(path)
    index = folder / f"{name}.index"
    run_measured([args.seealso, "build", "--input", str(path), *REFERENCE_FLAGS, "--method", "exact", "--k", "10",
                  "--index", str(index), "--quiet"])
    baseline = ["--baseline-seealso", args.baseline.path] if args.baseline else []
    process = run_measured([PYTHON, str(script), "--seealso", str(args.seealso), *baseline, "--corpus", str(path), "--index",
                            str(index), "--gold", gold, "--k", str(k), "--n-init", "5", "--seeds", *map(str, seeds)])
    output = json.loads(process["stdout"])
    if output.get("baseline_error"):
        notes.append(f"{args.baseline.name} failed on kmeans {name}: {failure_text(output['baseline_error'])}")
    groups = {}
    for r in output["rows"]:
        groups.setdefault((r["tool"], r["representation"]), []).append(r)
        if r["tool"].startswith("seealso") and r["representation"] == "lsa" and "kmeans" in r.get("stage_seconds", {}):
            refined = "refine" in r["stage_seconds"]
            groups.setdefault((r["tool"], "same-vectors"), []).append(
                {"seconds": r["stage_seconds"]["kmeans"], "rss": r["rss"], "nmi": None if refined else r["nmi"],
                 "ari": None if refined else r.get("ari")})
    # The labels' order, each baseline row right after SeeAlso's row of the same representation, then the rest.
    order = [key for tool, representation in KMEANS_LABELS
             for key in [(tool, representation)] + ([("seealso-baseline", representation)] if tool == "seealso" else [])]
    keys = [key for key in order if key in groups] + [key for key in groups if key not in order]
    systems = {kmeans_label(args, *key): summarize_runs(*key, groups[key]) for key in keys}
    return systems, output.get("dimensions"), {"wall": process["wall"], "cpu": process["cpu"], "rss": process["rss"]}


def kmeans_seealso_only(args, binary, path, gold, k, seeds):
    tool = "seealso-baseline" if binary.is_baseline else "seealso"
    runs = []
    for seed in seeds:
        result = run_measured([binary.path, "cluster", "--input", str(path), *REFERENCE_FLAGS, "--k", str(k), "--n-init", "5",
                               "--seed", str(seed), "--gold", gold, "--format", "json", "--no-store", "--quiet"])
        summary = json.loads(result["stdout"])
        runs.append({"seed": seed, "seconds": summary["clusteringSeconds"], "cpu": result["cpu"], "rss": result["rss"],
                     "nmi": summary["metrics"]["normalizedMutualInformation"], "ari": summary["metrics"]["adjustedRandIndex"]})
    return {kmeans_label(args, tool, "lsa"): summarize_runs(tool, "lsa", runs)}


def stage_kmeans(args, corpora):
    """Topic k-means: SeeAlso's `seealso cluster` vs scikit-learn KMeans and FAISS k-means (same k = the
    number of gold classes, n_init 5), through peers/kmeans_peers.py when it is there; NMI/ARI against the
    gold field (means over the seeds), time (medians), peak RSS."""
    rows, notes = [], []
    if not has_cluster_command(args):
        return {"rows": [], "notes": ["skipped: this seealso has no `cluster` command yet"]}
    script = PEERS / "kmeans_peers.py"
    if not script.exists():
        notes.append("peers skipped: Benchmarks/peers/kmeans_peers.py is not there (SeeAlso's rows only)")
    seeds = [0] if args.quick else [0, 1, 2]
    folder = WORK / "kmeans"
    folder.mkdir(parents=True, exist_ok=True)
    for name, gold in (QUICK_KMEANS_CORPORA if args.quick else KMEANS_CORPORA):
        path = kmeans_corpus(args, name)
        truth = gold_values(path, gold)
        k = len({g for g in truth if g is not None})
        # Synthetic archives measure speed at scale: one seed keeps the stage within the run's budget.
        corpus_seeds = seeds[:1] if name.startswith("synth-") else seeds
        row = {"corpus": name, "gold": gold, "k": k, "n": len(truth), "seeds": corpus_seeds}
        systems = None
        if script.exists():
            try:
                systems, row["dimensions"], row["peer_process"] = kmeans_with_peers(args, notes, script, path, gold, k,
                                                                                     corpus_seeds, folder)
            except Exception as error:  # another engineer's script, still changing: record why, fall back
                notes.append(f"kmeans_peers.py failed on {name}, SeeAlso's rows only: {str(error)[-400:]}")
        if systems is None:
            systems = kmeans_seealso_only(args, args.new, path, gold, k, corpus_seeds)
            systems.update(run_baseline(args, notes, f"kmeans {name}",
                                        lambda binary: kmeans_seealso_only(args, binary, path, gold, k, corpus_seeds)) or {})
        row["systems"] = systems
        rows.append(row)
        for system, f in systems.items():
            log(f"kmeans {name} ({gold}, k={k}) {system}: {f['seconds']:.2f} s, NMI "
                f"{f['nmi'] if f['nmi'] is not None else float('nan'):.3f}, RSS {f['rss'] >> 20} MiB")
    return {"rows": rows, "notes": notes}


def minibatch_figures(binary, data, k):
    result = run_measured([binary.path, "cluster", "--input", str(data), "--method", "minibatch", "--k", str(k),
                           "--seed", "0", "--gold", "label", "--no-store", "--format", "json", "--quiet"])
    summary = json.loads(result["stdout"])
    return {"wall": result["wall"], "cpu": result["cpu"], "rss": result["rss"],
            "clustering_seconds": summary["clusteringSeconds"], "stage_seconds": summary.get("stageSeconds", {}),
            "nmi": summary["metrics"]["normalizedMutualInformation"], "ari": summary["metrics"]["adjustedRandIndex"]}


def minibatch_line(figures):
    return (f"clustering {figures['clustering_seconds']:.1f} s, command {figures['wall']:.1f} s, NMI {figures['nmi']:.3f}, "
            f"RSS {figures['rss'] >> 20} MiB")


def stage_minibatch(args, corpora):
    """`seealso cluster --input synth-N --method minibatch` on the largest --sizes archive (k = its gold topics):
    the whole command (reading, vectorizing, LSA, mini-batch k-means) and its own stage times."""
    n = max(args.size_list)
    data = synth_archive(args, n)
    k = len({g for g in gold_values(data, "label") if g is not None})
    notes = [f"no peer: scikit-learn's MiniBatchKMeans would first need the {size_label(n)}-row TF-IDF "
             "matrix in Python; the kmeans stage compares the peers up to 100k"]
    ours, baseline = measure_both(args, notes, f"minibatch synth-{size_label(n)} k={k}",
                                  lambda binary: minibatch_figures(binary, data, k), minibatch_line)
    row = {"label": size_label(n), "n": n, "k": k, **ours}
    if baseline:
        row["baseline"] = baseline
    return {"rows": [row], "notes": notes}


STORY_CORPORA = [("ecbplus", "event"), ("wikinewssum_en_sample", "event")]


def story_figures(binary, path, name, gold):
    """`seealso build --method exact --k 20`, then `seealso cluster --method stories` on that index."""
    index = WORK / f"stories-{name}{binary.suffix}.index"
    build = run_measured([binary.path, "build", "--input", str(path), "--method", "exact", "--k", "20",
                          "--index", str(index), "--format", "json", "--quiet"])
    result = run_measured([binary.path, "cluster", "--index", str(index), "--method", "stories", "--gold", gold,
                           "--no-store", "--format", "json", "--quiet"])
    summary = json.loads(result["stdout"])
    metrics = summary["metrics"]
    return {"n": field(summary, "articleCount", "articles"), "stories": field(summary, "clusterCount", "clusters"),
            "gold_stories": field(metrics, "classCount", "classes"), "multi_member": field(summary, "multiMemberStoryCount", "multiMemberStories"),
            "method": summary["method"], "seconds": summary["clusteringSeconds"], "wall": result["wall"],
            "cpu": result["cpu"], "rss": result["rss"],
            "build_lists_seconds": json.loads(build["stdout"])["stageSeconds"]["lists"],
            "nmi": metrics["normalizedMutualInformation"], "ari": metrics["adjustedRandIndex"],
            "bcubed_f1": metrics["bcubedF1"], "homogeneity": metrics["homogeneity"],
            "completeness": metrics["completeness"]}


def stories_line(figures):
    return (f"{figures['stories']} stories (gold {figures['gold_stories']}), NMI {figures['nmi']:.3f}, "
            f"ARI {figures['ari']:.3f}, {figures['seconds']:.2f} s")


def stage_stories(args, corpora):
    """Story clustering (`seealso cluster --method stories`, default threshold and window) over exact
    related lists (news defaults, k = 20) on the corpora with gold stories."""
    if not has_cluster_command(args):
        return {"rows": [], "notes": ["skipped: this seealso has no `cluster` command yet"]}
    rows, notes = [], []
    for name, gold in STORY_CORPORA:
        path = corpora_dir() / f"{name}.jsonl.gz"
        ours, baseline = measure_both(args, notes, f"stories {name}", lambda binary: story_figures(binary, path, name, gold),
                                      stories_line)
        rows.append({"corpus": name, "gold": gold, **ours})
        if baseline:
            rows[-1]["baseline"] = baseline
    return {"rows": rows, "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: serve (the HTTP service)


def serve_index(args, notes, n):
    """The index the serve stage loads: WORK/serve/synth-N.index, kept between runs (reused when it still holds n
    articles), else built with `seealso build` defaults from `seealso synth --articles N --seed 1`."""
    archive = synth_archive(args, n)
    index = WORK / "serve" / f"synth-{size_label(n)}.index"
    if (index / "CURRENT").exists():
        try:
            info = json.loads(run_measured([args.new.path, "info", "--index", str(index), "--format", "json"])["stdout"])
            if info.get("articleCount") == n and info.get("deletedRowCount") == 0:
                notes.append(f"{size_label(n)}: the index {display_path(index)} of an earlier run reused")
                return archive, index
        except (RuntimeError, ValueError) as error:
            log(f"serve {size_label(n)}: not reusing {index}: {failure_text(error)}")
    index.parent.mkdir(parents=True, exist_ok=True)
    build = run_measured([args.new.path, "build", "--input", str(archive), "--index", str(index), "--force", "--quiet", "--format", "json"])
    log(f"serve {size_label(n)}: built {display_path(index)} in {build['wall']:.1f} s")
    return archive, index


def stage_serve(args, corpora):
    """`seealso serve` under wrk (Benchmarks/serve_load.py) on the sample archive and on synthetic archives of
    --serve-sizes, each beside the CLI's per-process cost; then scripts/serve/fuzz.py for --serve-fuzz-seconds."""
    import serve_load
    rows, notes = [], []
    sample = plain_copy(corpora_dir() / "newsarticles.jsonl.gz")
    sample_index = WORK / "serve" / "newsarticles.index"
    sample_index.parent.mkdir(parents=True, exist_ok=True)
    run_measured([args.new.path, "build", "--input", str(sample), "--index", str(sample_index), "--force", "--quiet"])
    cases = [("newsarticles (sample)", 3824, sample, sample_index)]
    for n in args.serve_size_list:
        archive, index = serve_index(args, notes, n)
        cases.append((f"synth-{size_label(n)}", n, archive, index))
    seconds = 5 if args.quick else 20
    for name, n, archive, index in cases:
        # The write run changes the index: it runs on a hard-link copy (generations are never modified in place).
        copy = WORK / "serve" / "load.index"
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["cp", "-al", str(index), str(copy)], check=True)
        figures = serve_load.load_test(args.new.path, copy, archive, seconds=seconds, cli_repeats=5 if args.quick else 10, log=log)
        shutil.rmtree(copy, ignore_errors=True)
        rows.append({"case": "load", "archive": name, "n": n, **figures})
    fuzz = subprocess.run([PYTHON, str(ROOT / "scripts" / "serve" / "fuzz.py"), "--seealso", args.new.path,
                           "--seconds", str(args.serve_fuzz_seconds)], capture_output=True, text=True)
    summary = last_json(fuzz.stdout) if fuzz.stdout.strip() else {}
    rows.append({"case": "fuzz", "exit": fuzz.returncode, **summary})
    log(f"serve fuzz: {summary}")
    if fuzz.returncode != 0:
        notes.append(f"the schemathesis run failed: {fuzz.stderr[-1500:]}")
    return {"rows": rows, "notes": notes}


def stage_spark(args, corpora):
    """scripts/spark-build in local mode beside seealso build on the synthetic archives of --spark-sizes (Benchmarks/spark_scale.py)."""
    import spark_scale
    return spark_scale.stage(args, synth_archive, size_label, log, ROOT)


def stage_threads(args, corpora):
    """`seealso build` with --threads 1 and 2: partitioned and exact (up to --threads-exact-max) on the synthetic
    archives of --threads-sizes, exact with the reference settings on 20NG (or the --corpus files)
    (Benchmarks/thread_scaling.py)."""
    import thread_scaling
    rows = []
    for n in args.threads_size_list:
        data = synth_archive(args, n)
        for method in ["partitioned", "exact"] if n <= args.threads_exact_max else ["partitioned"]:
            rows.append(thread_scaling.workload_row(args, run_measured, log, WORK, f"synth-{size_label(n)}", "synthetic", method,
                                                    data, [], "news defaults"))
    for corpus in corpora if args.corpus else [corpora_dir() / "20ng.jsonl.gz"]:
        rows.append(thread_scaling.workload_row(args, run_measured, log, WORK, corpus_name(corpus), "corpus", "exact", plain_copy(corpus),
                                                REFERENCE_FLAGS, "sublinear tf, min_df 2, max_df 0.5, English stop words"))
    return {"rows": rows, "notes": []}


# ---------------------------------------------------------------------------------------------
# Stage: limits


def stream_binary():
    source = BENCH / "limits" / "stream.c"
    binary = WORK / "limits" / "stream"
    binary.parent.mkdir(parents=True, exist_ok=True)
    if not binary.exists() or binary.stat().st_mtime < source.stat().st_mtime:
        subprocess.run(["gcc", "-O2", "-pthread", str(source), "-o", str(binary)], check=True)
    return binary


def stage_limits(args, corpora):
    """OpenBLAS sgemm rates for SeeAlso's tile shapes (`seealso-kernels --limits`, or `seealso bench --limits`
    for a binary without seealso-kernels) and memory bandwidth (STREAM-like copy and triad, 1 and all threads)."""
    seconds = "0.3" if args.quick else "1.0"

    def sgemm_rates(binary):
        return json.loads(run_measured(binary.kernel_command("--limits", "--limit-seconds", seconds, "--quiet"))["stdout"])

    notes = []
    row = {"sgemm": sgemm_rates(args.new), "program": args.new.kernels_program}
    baseline = run_baseline(args, notes, "limits", sgemm_rates)
    if baseline:
        row["baseline_sgemm"] = baseline
    bandwidth = []
    try:
        binary = stream_binary()
        for threads in sorted({1, os.cpu_count() or 1}):
            result = last_json(run_measured([str(binary), str(threads), "256", "3" if args.quick else "10"])["stdout"])
            bandwidth.append(result)
            log(f"limits: memory bandwidth, {threads} thread(s): copy {result['copyGBs']:.1f} GB/s, "
                f"triad {result['triadGBs']:.1f} GB/s")
    except (OSError, subprocess.CalledProcessError) as error:
        notes.append(f"memory bandwidth skipped: {error}")
    for figure in row["sgemm"]["sgemm"]:
        log(f"limits: sgemm {figure['m']}×{figure['n']}×{figure['k']} {figure['mode']}: {figure['gflops']:.1f} GFLOP/s")
    return {"rows": [{**row, "bandwidth": bandwidth}], "notes": notes}


# ---------------------------------------------------------------------------------------------
# Stage: fuzz

FUZZ_LINE = re.compile(r"^(?P<target>fuzz-[a-z]+): (?P<seconds>\d+) s, (?P<executions>\d+) executions, "
                       r"(?P<corpus>\d+) corpus inputs, (?P<crashes>\d+) crashes")


def fuzz_rows(output):
    """The per-target lines `scripts/fuzz` prints, as rows."""
    return [{key: value if key == "target" else int(value) for key, value in match.groupdict().items()}
            for match in map(FUZZ_LINE.match, output.splitlines()) if match]


def stage_fuzz(args, corpora):
    """Each libFuzzer target for --fuzz-seconds, one after the other (`scripts/fuzz`, which builds them)."""
    seconds = args.fuzz_seconds or (60 if args.quick else 600)
    result = subprocess.run([str(ROOT / "scripts" / "fuzz"), "--seconds", str(seconds)], cwd=ROOT, capture_output=True, text=True)
    rows = fuzz_rows(result.stdout)
    for r in rows:
        log(f"fuzz: {r['target']}: {r['executions']} executions in {r['seconds']} s, {r['crashes']} crashes")
    notes = [] if result.returncode == 0 else [f"scripts/fuzz exited {result.returncode}: {result.stderr.strip()[-500:]}"]
    return {"rows": rows, "notes": notes, "commit": git("rev-parse", "HEAD")}


STAGES = {"tfidf": stage_tfidf, "exact": stage_exact, "quality": stage_quality, "dense": stage_dense,
          "partitioned": stage_partitioned, "add": stage_add, "churn": stage_churn, "serve": stage_serve, "spark": stage_spark, "threads": stage_threads, "realism": stage_realism, "kmeans": stage_kmeans,
          "minibatch": stage_minibatch, "stories": stage_stories,
          "limits": stage_limits, "fuzz": stage_fuzz}


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}"


# ---------------------------------------------------------------------------------------------
# Scaling fits


def fit_exponent(points):
    """Least-squares slope of log(time) against log(N): time ∝ N^slope."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sxx


def time_series(stored):
    """{plot name: (title, x label, {series: [(N, seconds)]})} from the stored results, for plots and fits."""
    plots = {}
    if "tfidf" in stored:
        series = {}
        for r in stored["tfidf"]["rows"]:
            if not r["corpus"].startswith("synth-") or r["config"] != "default":
                continue
            series.setdefault("SeeAlso vectorize", []).append((r["documents"], r["seealso_wall"]))
            if "baseline" in r:
                series.setdefault(f"{baseline_name(stored['tfidf'])} vectorize", []).append((r["documents"], r["baseline"]["wall"]))
            if "sklearn_wall" in r:
                series.setdefault("scikit-learn TfidfVectorizer", []).append((r["documents"], r["sklearn_wall"]))
        plots["tfidf"] = ("TF-IDF fit on synthetic archives (default config)", "articles", series)
    if "exact" in stored:
        series = {}
        for r in stored["exact"]["rows"]:
            series.setdefault("SeeAlso exact", []).append((r["documents"], r["seealso_seconds"]))
            if "baseline" in r:
                series.setdefault(f"{baseline_name(stored['exact'])} exact", []).append((r["documents"], r["baseline"]["seconds"]))
            series.setdefault("sparse_dot_topn", []).append((r["documents"], r["sparse_dot_topn_seconds"]))
            series.setdefault("sklearn brute", []).append((r["documents"], r["sklearn_brute_seconds"]))
        plots["exact"] = ("Exact all-pairs top-10 (corpora)", "articles", series)
    if "dense" in stored:
        series = {}
        for r in stored["dense"]["rows"]:
            if r["kind"] != "random":
                continue
            d = r["d"]
            series.setdefault(f"SeeAlso d={d}", []).append((r["n"], r["seealso"]["allPairsSeconds"]))
            series.setdefault(f"bare tiled sgemm d={d}", []).append((r["n"], r["seealso"]["sgemmSeconds"]))
            series.setdefault(f"FAISS Flat d={d}", []).append((r["n"], r["faiss_flat"]["seconds"]))
            series.setdefault(f"FAISS IVF d={d}", []).append((r["n"], r["faiss_ivf"]["seconds"]))
            if "partitioned" in r["seealso"]:
                series.setdefault(f"SeeAlso IVF d={d}", []).append((r["n"], r["seealso"]["partitioned"]["seconds"]))
            if "baseline" in r:
                series.setdefault(f"{baseline_name(stored['dense'])} d={d}", []).append((r["n"], r["baseline"]["allPairsSeconds"]))
        plots["dense"] = ("Dense all-pairs top-10, random unit vectors", "vectors", series)
    if "partitioned" in stored:
        series = {}
        for r in stored["partitioned"]["rows"]:
            for system, f in r["systems"].items():
                series.setdefault(f"{system} lists" if system != "sparse_dot_topn" else system, []).append((r["n"], f["lists_seconds"]))
                if f.get("vectorize_seconds") and system == "partitioned":
                    series.setdefault("vectorize (in build)", []).append((r["n"], f["vectorize_seconds"]))
            for method, f in r.get("baseline", {}).items():
                series.setdefault(f"{method} lists, {baseline_name(stored['partitioned'])}", []).append((r["n"], f["lists_seconds"]))
        plots["partitioned"] = ("Related lists on synthetic archives", "articles", series)
    return plots


def scaling_rows(stored):
    rows = []
    for stage, (_, _, series) in time_series(stored).items():
        if stage == "exact":
            continue  # different corpora, not one family of inputs
        for name, points in series.items():
            points = sorted(p for p in points if p[1] > 0)
            if len({x for x, _ in points}) >= 2:
                rows.append((stage, name, points, fit_exponent(points)))
    return rows


def memory_rows(stored):
    """(method, [(N, peak RSS bytes)], exponent, projected bytes at 5M) for the partitioned stage's builds."""
    rows = []
    if "partitioned" not in stored:
        return rows
    series = {}
    for r in stored["partitioned"]["rows"]:
        for system, f in r["systems"].items():
            if system != "sparse_dot_topn" and f.get("rss"):
                series.setdefault(system, []).append((r["n"], f["rss"]))
    for name, points in series.items():
        points = sorted(points)
        if len({x for x, _ in points}) < 2:
            continue
        exponent = fit_exponent(points)
        if exponent is None:
            continue
        # Memory grows with the stored entries, linearly in N once fixed costs are amortised: extend the line
        # through the two largest sizes (conservative when the small sizes still carry fixed overhead).
        (n1, rss1), (n2, rss2) = points[-2], points[-1]
        rows.append((name, points, exponent, rss2 + (rss2 - rss1) / (n2 - n1) * (5_000_000 - n2)))
    return rows


# ---------------------------------------------------------------------------------------------
# Plots (matplotlib, in figures.py; imported here only when plots are drawn, so --help needs no venv)


def write_plots(stored, plots_dir):
    """Writes the SVGs; returns [(file name, caption)]."""
    from figures import write_plots as draw
    return draw(stored, plots_dir, time_series(stored), fit_exponent, baseline_name)


# ---------------------------------------------------------------------------------------------
# RESULTS.md


def mib(value):
    return f"{value / 2 ** 20:.0f}" if isinstance(value, (int, float)) else "–"


def seconds_text(value, digits=2):
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "–"


def header(stored):
    run = f"Run: {stored['date']} on {stored['machine']}" + (" — **quick run: small inputs, one repeat, noisy**"
                                                             if stored.get("quick") else "")
    baseline = stored.get("baseline")
    if not baseline:
        return [f"## {stored['title']}", "", f"Command: `{stored['command']}`  ", run, ""]
    commit = f" (commit {baseline['commit'][:12]})" if baseline.get("commit") else ""
    return [f"## {stored['title']}", "", f"Command: `{stored['command']}`  ", run + "  ",
            f"Baseline: {baseline['name']} = `{display_path(baseline['path'])}`{commit}, each command right after "
            "SeeAlso's on the same data with the same repeats; new/baseline = SeeAlso's time / the baseline's "
            "(below 1: SeeAlso is faster).", ""]


def display_path(path):
    """The path relative to the checkout; a baseline built in another checkout (results regenerated elsewhere)
    from its .build-baseline folder on, so that RESULTS.md does not depend on where it is regenerated."""
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        parts = Path(path).parts
        return str(Path(*parts[parts.index(".build-baseline"):])) if ".build-baseline" in parts else str(path)


def baseline_name(stored):
    """The baseline's label when the stage ran one, else None."""
    return (stored.get("baseline") or {}).get("name")


def ratio_text(new, baseline):
    """new/baseline time ratio (below 1: the new binary is faster)."""
    if isinstance(new, (int, float)) and isinstance(baseline, (int, float)) and baseline > 0:
        return f"×{new / baseline:.2f}"
    return "–"


def agreement_text(figures):
    """How the baseline's lists compare with the new binary's."""
    if "identical" not in figures:
        return "–"
    if figures["identical"]:
        return "identical"
    if figures["differing_rows"] == 0:
        return "same up to ties"
    return f"{figures['differing_rows']} rows differ"


LISTS_VS_BASELINE = (" \"lists vs baseline\": the baseline's lists (`seealso related --all` of its own index) against "
                     "SeeAlso's: identical (ids and scores), the same up to the order of scores equal within 1e-5, or the "
                     "number of rows that differ beyond that.")


def cells(*values):
    """Table cells to append to a row (or a header) that ends in '|'."""
    return "".join(f" {value} |" for value in values)



def render(stored, everything):
    lines = header(stored)
    stage = stored["stage"]
    rows = stored["rows"]
    baseline = baseline_name(stored)
    if stage == "tfidf":
        extra = [f"{baseline} s", "new/baseline", f"{baseline} CPU s", f"{baseline} RSS MiB"] if baseline else []
        lines += ["| input | config | MB | docs | SeeAlso s | scikit-learn s | speed-up | SeeAlso MB/s | SeeAlso MB/s per core | "
                  "SeeAlso CPU s | scikit-learn CPU s | SeeAlso RSS MiB | scikit-learn RSS MiB | RSS ratio |" + cells(*extra),
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            has_peer = "sklearn_wall" in r
            theirs = r.get("baseline", {})
            lines.append(f"| {r['corpus']} | {r['config']} | {r['megabytes']} | {r['documents']} | {r['seealso_wall']:.3f} | "
                         f"{seconds_text(r.get('sklearn_wall'), 3)} | {'×%.1f' % r['speedup'] if has_peer else '–'} | "
                         f"{r['megabytes'] / r['seealso_wall']:.0f} | "
                         f"{'%.0f' % (r['megabytes'] / r['seealso_cpu']) if r.get('seealso_cpu') else '–'} | {seconds_text(r.get('seealso_cpu'))} | "
                         f"{seconds_text(r.get('sklearn_cpu'))} | {mib(r['seealso_rss'])} | {mib(r.get('sklearn_rss'))} | "
                         f"{'%.2f' % r['rss_ratio'] if has_peer else '–'} |"
                         + (cells(seconds_text(theirs.get("wall"), 3), ratio_text(r["seealso_wall"], theirs.get("wall")),
                                  seconds_text(theirs.get("cpu")), mib(theirs.get("rss"))) if baseline else ""))
        lines += ["", "config `default` = TfidfVectorizer(); `sublinear` = sublinear_tf, min_df 2, max_df 0.5, English stop words. "
                  "Input: uncompressed JSON Lines (`synth-N`: `seealso synth --articles N --seed 1`); both sides read the file, "
                  "tokenize, count and weigh (text = title + \"\\n\" + body). SeeAlso's time is the whole `seealso vectorize` "
                  "process; scikit-learn's is measured inside its process from opening the file to the finished matrix "
                  "(interpreter start and imports excluded; its CPU time and RSS are the whole process's). \"MB/s per core\" = input MB "
                  "/ SeeAlso's CPU seconds (user + system, all threads): the rate one core sustains, start-up and serial stages included."]
        lines += render_counting(stored.get("counting", []))
    elif stage == "exact":
        extra = [f"{baseline} s", "new/baseline", "lists vs baseline", f"{baseline} CPU s / RSS MiB"] if baseline else []
        lines += ["| corpus | docs | SeeAlso s | sparse_dot_topn s (2 threads) | speed-up | rows differing | sklearn brute s | "
                  "speed-up | rows differing | CPU s SeeAlso / sdt / brute | RSS MiB SeeAlso / sdt / brute |" + cells(*extra),
                  "|---|---|---|---|---|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            theirs = r.get("baseline", {})
            lines.append(f"| {r['corpus']} | {r['documents']} | {r['seealso_seconds']:.2f} | {r['sparse_dot_topn_seconds']:.2f} | "
                         f"×{r['sparse_dot_topn_speedup']:.1f} | {r['sparse_dot_topn_differing_rows']} | {r['sklearn_brute_seconds']:.2f} | "
                         f"×{r['sklearn_brute_speedup']:.1f} | {r['sklearn_brute_differing_rows']} | "
                         f"{seconds_text(r.get('seealso_cpu'))} / {seconds_text(r.get('sparse_dot_topn_cpu'))} / "
                         f"{seconds_text(r.get('sklearn_brute_cpu'))} | {mib(r.get('seealso_rss'))} / "
                         f"{mib(r.get('sparse_dot_topn_rss'))} / {mib(r.get('sklearn_brute_rss'))} |"
                         + (cells(seconds_text(theirs.get("seconds")), ratio_text(r["seealso_seconds"], theirs.get("seconds")),
                                  agreement_text(theirs), f"{seconds_text(theirs.get('cpu'))} / {mib(theirs.get('rss'))}")
                            if baseline else ""))
        lines += ["", "Top-10 cosine neighbours of every article (self excluded) on the same matrix (sublinear_tf, min_df 2, max_df 0.5, "
                  "English stop words). SeeAlso's time is the `lists` stage of `seealso build --method exact`; the peers' times exclude "
                  "loading the matrix. \"rows differing\" counts articles whose lists differ other than by the order of scores equal "
                  "within 1e-5. CPU time and peak RSS are whole processes (SeeAlso's includes vectorizing and writing the index; "
                  "the peers' include loading the MatrixMarket file)." + (LISTS_VS_BASELINE if baseline else "")]
    elif stage == "quality":
        extra = [f"{baseline} P@1 / P@10 / recall@10 / MRR", "lists vs baseline"] if baseline else []
        lines += ["| corpus (gold) | configuration | P@1 | P@10 | recall@10 | MRR |" + cells(*extra),
                  "|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            metrics = [r.get("baseline", {}).get(key) for key in ["precisionAt1", "precisionAtK", "recallAtK", "meanReciprocalRank"]]
            lines.append(f"| {r['corpus']} ({r['gold']}) | {r['config']} | {r['precisionAt1']:.3f} | {r['precisionAtK']:.3f} | "
                         f"{r['recallAtK']:.3f} | {r['meanReciprocalRank']:.3f} |"
                         + (cells(" / ".join(seconds_text(value, 3) for value in metrics), agreement_text(r.get("baseline", {})))
                            if baseline else ""))
        lines += ["", "Exact TF-IDF cosine lists (`seealso build --method exact`, then `seealso eval`), self excluded; a query counts "
                  "when its gold group has another member. Flags of each configuration are in results/quality.json."
                  + (LISTS_VS_BASELINE if baseline else "")]
    elif stage == "dense":
        # SeeAlso's own IVF search over raw vectors was a `seealso bench` mode; seealso-kernels has none.
        has_ivf = any("partitioned" in r["seealso"] for r in rows)
        ivf_columns = ["SeeAlso IVF s", "vs FAISS IVF", "SeeAlso IVF recall@10"] if has_ivf else []
        extra = [f"{baseline} s", "new/baseline", f"{baseline} recall@10"] if baseline else []
        lines += ["| vectors | n | d | SeeAlso s | GFLOP/s | % of tiled sgemm | FAISS Flat s | speed-up | FAISS IVF s "
                  "(nlist/nprobe) | speed-up | IVF recall@10 | SeeAlso recall@10 |" + cells(*ivf_columns)
                  + " CPU s SeeAlso / Flat / IVF | RSS MiB SeeAlso / Flat / IVF |" + cells(*extra),
                  "|---|---|---|---|---|---|---|---|---|---|---|---|" + "---|" * len(ivf_columns) + "---|---|" + "---|" * len(extra)]
        for r in rows:
            s, flat, ivf = r["seealso"], r["faiss_flat"], r["faiss_ivf"]
            theirs = r.get("baseline", {})
            ours_ivf = cells(*["–"] * len(ivf_columns))
            if "partitioned" in s:
                ours_ivf = cells(f"{s['partitioned']['seconds']:.3f}", f"×{ivf['seconds'] / s['partitioned']['seconds']:.1f}",
                                 f"{r['recall_seealso_ivf']:.3f}")
            lines.append(f"| {r['vectors']} | {r['n']} | {r['d']} | {s['allPairsSeconds']:.3f} | {s['allPairsGflops']:.0f} | "
                         f"{100 * s['fractionOfSgemm']:.0f}% | {flat['seconds']:.3f} | ×{flat['seconds'] / s['allPairsSeconds']:.1f} | "
                         f"{ivf['seconds']:.3f} ({ivf['nlist']}/{ivf['nprobe']}) | ×{ivf['seconds'] / s['allPairsSeconds']:.1f} | "
                         f"{r['recall_ivf']:.3f} | {r['recall_seealso']:.4f} |" + ours_ivf
                         + f" {s['cpu']:.1f} / {flat['cpu']:.1f} / {ivf['cpu']:.1f} | "
                         f"{mib(s['rss'])} / {mib(flat['rss'])} / {mib(ivf['rss'])} |"
                         + (cells(seconds_text(theirs.get("allPairsSeconds"), 3),
                                  ratio_text(s["allPairsSeconds"], theirs.get("allPairsSeconds")),
                                  seconds_text(r.get("recall_baseline"), 4)) if baseline else ""))
        program = next((r["seealso"].get("program") for r in rows), None) or "seealso bench"
        lines += ["", "Every vector's 10 most similar others (inner product of unit rows, self excluded). `random-N`: N standard-normal "
                  "vectors (numpy, seeded), normalised; `LSA of X`: scikit-learn TruncatedSVD (random_state 0) of corpus X's TF-IDF "
                  f"matrix (sublinear, min_df 2, max_df 0.5, English stop words), normalised. SeeAlso: `{program} --dense-vectors` "
                  "timing `DenseAllPairs.allPairs` (2 workers × 1 BLAS thread; it computes each pair once, ≈ n²·d FLOPs, the GFLOP/s "
                  "column); \"% of tiled sgemm\" = the same tiles multiplied by bare sgemm with no selection, in the same process, "
                  "divided by SeeAlso's time. FAISS (2 OpenMP threads): `IndexFlatIP` add + search of all vectors for k+1 (2·n²·d "
                  "FLOPs) and `IndexIVFFlat` train + add + search with nlist = max(16, n/1000) and nprobe = 8; "
                  + ("SeeAlso IVF: `PartitionedSearch` with the same nlist and nprobe, timed from k-means training (mini-batch "
                     "spherical k-means, oversized partitions split) to the lists, one GEMM per partition. " if has_ivf else "")
                  + "recall@10 against FAISS Flat with ties tolerated (a neighbour counts when its score reaches the exact "
                  "10th score − 1e-5). Times exclude reading the vectors; CPU and RSS are whole processes."
                  + (" The baseline runs the same kernel (its `seealso-kernels`, or `seealso bench` when it has none)."
                     if baseline else "")]
    elif stage == "partitioned":
        extra = ["lists new/baseline"] if baseline else []
        lines += ["| archive | articles | MB | system | lists s | build s | vectorize s | recall@10 | CPU s | peak RSS MiB | "
                  "lists vs partitioned |" + cells(*extra), "|---|---|---|---|---|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            theirs = r.get("baseline", {})
            base = r["systems"].get("partitioned", {}).get("lists_seconds")
            their_base = theirs.get("partitioned", {}).get("lists_seconds")
            for system, f in r["systems"].items():
                lines.append(partitioned_line(r, system, f, base) + (cells("–") if baseline else ""))
                if system in theirs:
                    lines.append(partitioned_line(r, f"{system}, {baseline}", theirs[system], their_base)
                                 + cells(ratio_text(f["lists_seconds"], theirs[system]["lists_seconds"])))
        lines += ["", "`seealso build --input synth-N --method M --k 10` with the news defaults (M = partitioned: LSA-128, "
                  "max(16, n/1000) balanced k-means partitions, exact TF-IDF scores against the members of the --probes (24) nearest, plus "
                  "rare-term votes, re-ranked exactly, then one round of reverse and neighbour-of-neighbour refinement; dense: exhaustive LSA candidates plus the same votes; exact), and "
                  "sparse_dot_topn (top-11, 2 threads) on the same TF-IDF matrix exported by `seealso vectorize --preset news`. "
                  "\"lists s\" is the build's `lists` stage (sparse_dot_topn: its product, loading excluded); \"build s\" the "
                  "whole process including the recall check on 200 sampled articles (recall@10 against exact lists, the build's "
                  "`measuredRecall`) and writing the index. \"lists vs partitioned\" = lists seconds / the partitioned method's"
                  + (" (the baseline's: / its own partitioned method's)." if baseline else ".")]
    elif stage == "kmeans":
        extra = ["new/baseline"] if baseline else []
        lines += ["| corpus (gold) | n | k | system | seconds | peer time / SeeAlso's | NMI | ARI | peak RSS MiB |" + cells(*extra),
                  "|---|---|---|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            bases = {f.get("representation"): f["seconds"] for f in r["systems"].values() if f.get("tool") == "seealso"}
            for system, f in r["systems"].items():
                base = bases.get(f.get("representation"))
                ours = f.get("tool", "").startswith("seealso")  # SeeAlso's row or the baseline's
                ratio = f"×{f['seconds'] / base:.2f}" if base and not ours else "–"
                nmi = f"{f['nmi']:.3f}" if f.get("nmi") is not None else "–"
                ari = f"{f['ari']:.3f}" if f.get("ari") is not None else "–"
                lines.append(f"| {r['corpus']} ({r['gold']}) | {r['n']} | {r['k']} | {system} | {f['seconds']:.3f} | {ratio} | "
                             f"{nmi} | {ari} | {mib(f['rss'])} |"
                             + (cells(ratio_text(base, f["seconds"]) if f.get("tool") == "seealso-baseline" else "–")
                                if baseline else ""))
        dimensions = next((r.get("dimensions") for r in rows if r.get("dimensions")), None)
        lines += ["", "k = the number of gold classes, n_init 5, each seed in turn (results/kmeans.json lists them); NMI/ARI are "
                  "means over the seeds, seconds medians. Rows come from `Benchmarks/peers/kmeans_peers.py` over an index "
                  "built with the scikit-learn reference settings (sublinear, min_df 2, max_df 0.5, English stop words): "
                  "SeeAlso's seconds are `seealso cluster`'s own clustering time (loading excluded); scikit-learn's are "
                  "KMeans.fit (with TruncatedSVD for LSA) on TfidfVectorizer's matrix with the same settings; \"on SeeAlso's "
                  f"LSA vectors\" rows cluster the {dimensions or 'exported'}-dimensional vectors `seealso cluster "
                  "--export-vectors` wrote, against SeeAlso's `kmeans` stage on them (its NMI is shown only when no "
                  "refinement followed). \"peer time / SeeAlso's\" divides by the SeeAlso row of the same representation "
                  "(above 1: SeeAlso is faster). SeeAlso's RSS is its process's; the peers' is the peer script's process "
                  "(which also holds the corpus and its TF-IDF matrix)."
                  + (" The baseline's rows run its `seealso cluster` on the same index right after SeeAlso's; \"new/baseline\" "
                     "divides SeeAlso's seconds by the baseline's." if baseline else "")]
    elif stage == "minibatch":
        system, extra = (["system"], ["new/baseline"]) if baseline else ([], [])
        lines += ["| archive |" + cells(*system) + " articles | k | clustering s | whole command s | CPU s | NMI | ARI | "
                  "peak RSS MiB | stage seconds |" + cells(*extra), "|---|" + "---|" * len(system) + "---|---|---|---|---|---|---|"
                  "---|---|" + "---|" * len(extra)]
        for r in rows:
            for label, f, ratio in system_rows(r, baseline, "clustering_seconds"):
                stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in f["stage_seconds"].items())
                lines.append(f"| synth-{r['label']} |" + cells(*label) + f" {r['n']} | {r['k']} | {f['clustering_seconds']:.1f} | "
                             f"{f['wall']:.1f} | {f['cpu']:.1f} | {f['nmi']:.3f} | {f['ari']:.3f} | {mib(f['rss'])} | {stages} |"
                             + cells(*ratio))
        lines += ["", "`seealso cluster --input synth-N --method minibatch --k K --seed 0` (news defaults, LSA, mini-batch spherical "
                  "k-means). \"clustering s\" is the command's own clustering time (LSA and k-means, reading and vectorizing "
                  "excluded); \"whole command s\" includes reading the uncompressed JSON Lines and vectorizing."
                  + (" \"new/baseline\" divides the clustering seconds." if baseline else "")]
    elif stage == "realism":
        lines += ["| archive | articles | stories | event P@1 | event P@1 without copies | event P@10 (ceiling) | "
                  "label P@10 (random) | articles with a near-duplicate |", "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            without = f"{r['event_p_at_1_without_copies']:.3f}" if r.get("event_p_at_1_without_copies") is not None else "–"
            lines.append(f"| synth-{r['label']} | {r['articles']} | {r['events']} | {r['event_p_at_1']:.3f} | {without} | "
                         f"{r['event_p_at_10']:.3f} ({r['event_p_at_10_max']:.3f}) | {r['label_p_at_10']:.3f} "
                         f"({r['label_p_at_10_random']:.3f}) | {r['near_duplicate_share']:.3f} |")
        lines += ["", "`scripts/synth/realism.py`: scikit-learn TF-IDF (sublinear, min_df 2, max_df 0.5, English stop words) of "
                  "`seealso synth --seed 1`, exact cosine neighbours of 2,000 sampled articles whose story has another member. "
                  "Event P@1 = share whose nearest neighbour is in the same story (the real ECB+ corpus: 0.982); \"without "
                  "copies\" leaves out articles that have a syndicated copy (cosine ≥ 0.9); the ceiling of P@10 is set by "
                  "story sizes; label P@10 against the random-neighbour baseline."]
    elif stage == "stories":
        system, extra = (["system"], ["new/baseline"]) if baseline else ([], [])
        lines += ["| corpus |" + cells(*system) + " articles | gold stories | stories found (>1 article) | NMI | ARI | B³ F1 | "
                  "homogeneity | completeness | clustering s | CPU s | peak RSS MiB |" + cells(*extra),
                  "|---|" + "---|" * len(system) + "---|---|---|---|---|---|---|---|---|---|---|" + "---|" * len(extra)]
        for r in rows:
            for label, f, ratio in system_rows(r, baseline, "seconds"):
                lines.append(f"| {r['corpus']} |" + cells(*label) + f" {f['n']} | {f['gold_stories']} | {f['stories']} "
                             f"({f['multi_member']}) | {f['nmi']:.3f} | {f['ari']:.3f} | {f['bcubed_f1']:.3f} | "
                             f"{f['homogeneity']:.3f} | {f['completeness']:.3f} | {f['seconds']:.3f} | {f['cpu']:.2f} | "
                             f"{mib(f['rss'])} |" + cells(*ratio))
        method = rows[0]["method"] if rows else ""
        reference = []
        for r in everything.get("kmeans", {}).get("rows", []):
            if r["gold"] == "event":
                for system, f in r["systems"].items():
                    if f.get("nmi") is not None:
                        reference.append(f"{r['corpus']}, {system}, k={r['k']}: NMI {f['nmi']:.3f}")
        lines += ["", f"`seealso build --method exact --k 20` (news defaults), then `seealso cluster --method stories` ({method}); "
                  "no number of stories is given. " + ("For reference, k-means told the gold count (kmeans stage): "
                                                       + "; ".join(reference) + "." if reference else "")]
    elif stage == "add":
        lines += render_add(rows, baseline)
    elif stage == "churn":
        lines += render_churn(rows)
    elif stage == "serve":
        lines += render_serve(rows)
    elif stage == "spark":
        import spark_scale
        lines += spark_scale.render(rows, mib, seconds_text)
    elif stage == "threads":
        import thread_scaling
        lines += thread_scaling.render(rows)
    elif stage == "limits":
        lines += render_limits(rows[0], everything, baseline)
    elif stage == "fuzz":
        lines += [f"Commit {stored['commit'][:12]}; one target at a time, niced, each with its own generated seeds "
                  "(`TARGET --write-seeds`) and the corpus kept in `.build-fuzz/corpus/`.", "",
                  "| target | seconds | executions | executions/s | corpus inputs | crashes |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['target']} | {r['seconds']} | {r['executions']:,} | {r['executions'] / r['seconds']:.0f} | "
                  f"{r['corpus']} | {r['crashes']} |" for r in rows]
    for note in stored.get("notes", []):
        lines.append(f"\nNote: {note}")
    lines.append("")
    return "\n".join(lines)


def system_rows(r, baseline, seconds_key):
    """(system cells, figures, ratio cells) for each binary's line of a table: SeeAlso's figures are the row itself,
    the baseline's r["baseline"]; without a baseline, one line with neither a system nor a ratio cell."""
    if not baseline:
        return [([], r, [])]
    lines = [(["SeeAlso"], r, ["–"])]
    if r.get("baseline"):
        lines.append(([baseline], r["baseline"], [ratio_text(r[seconds_key], r["baseline"][seconds_key])]))
    return lines


def partitioned_line(r, system, f, base):
    ratio = f"×{f['lists_seconds'] / base:.2f}" if base else "–"
    recall = f"{f['recall']:.3f}" if f.get("recall") is not None else "–"
    return (f"| synth-{r['label']} | {r['n']} | {r['megabytes']} | {system} | {f['lists_seconds']:.2f} | "
            f"{seconds_text(f.get('wall'))} | {seconds_text(f.get('vectorize_seconds'))} | {recall} | "
            f"{f['cpu']:.1f} | {mib(f['rss'])} | {ratio} |")


def render_counting(rows):
    """The tokenize-and-count kernel table under the TF-IDF stage."""
    if not rows:
        return []
    lines = ["", "Tokenizing and counting alone, one core, the texts already in memory:", "",
             "| input | text MB | docs | terms SeeAlso / scikit-learn | entries SeeAlso / scikit-learn | SeeAlso s | "
             "SeeAlso MB/s per core | scikit-learn s | scikit-learn MB/s | speed-up |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['corpus']} | {r['megabytes']:.1f} | {r['documents']} | {r['seealso_terms']} / {r['sklearn_terms']} | "
                     f"{r['seealso_entries']} / {r['sklearn_entries']} | {r['seealso_seconds']:.3f} | "
                     f"{r['megabytes'] / r['seealso_seconds']:.0f} | {r['sklearn_seconds']:.3f} | "
                     f"{r['megabytes'] / r['sklearn_seconds']:.1f} | ×{r['sklearn_seconds'] / r['seealso_seconds']:.1f} |")
    lines += ["", "SeeAlso: `seealso-kernels --count-texts FILE --repeats R` — the vectorizer's per-worker kernel (analyze title "
              "then body, count each article's terms into its row) on the calling thread with a fresh dictionary, scikit-learn's "
              "analyzer settings, after reading the archive into memory (`--html off`). scikit-learn: `Benchmarks/peers/"
              "sklearn_counting.py FILE R`, CountVectorizer().fit_transform on the same texts (title + \"\\n\" + body) in memory "
              "(which also sorts its vocabulary and builds the CSR matrix). Medians of R; equal terms and entries on both sides "
              "show the same tokens were counted. MB = UTF-8 bytes of the texts."]
    return lines


def render_add(rows, baseline):
    system, extra = (["system"], ["new/baseline"]) if baseline else ([], [])
    lines = ["| archive | articles in the index | added |" + cells(*system) + " add s | CPU s | peak RSS MiB | "
             "recall@10 of added | recall@10 overall |" + cells(*extra),
             "|---|---|---|" + "---|" * len(system) + "---|---|---|---|---|" + "---|" * len(extra)]
    for r in rows:
        for label, f, ratio in system_rows(r, baseline, "wall"):
            lines.append(f"| {r['archive']} | {r['n']} | {f['added']} |" + cells(*label) + f" {f['wall']:.2f} | {f['cpu']:.1f} | "
                         f"{mib(f['rss'])} | {seconds_text(f.get('recall_added'), 3)} | {seconds_text(f.get('recall_all'), 3)} |"
                         + cells(*ratio))
    lines += ["", f"`seealso synth --articles N+{ADDED_ARTICLES} --seed 1`: its first N articles are indexed with "
              "`seealso build --method partitioned --k 10` (news defaults, by SeeAlso), its last "
              f"{ADDED_ARTICLES} (the newest, as in a newsroom) are added with `seealso add --index COPY --input NEW`, each "
              "system to its own hard-link copy of that index (`cp -al`: generations are never modified in place). "
              "\"add s\", CPU and peak RSS are the add process's; recall@10 against exact lists on 200 sampled articles "
              "(`seealso eval --recall-sample 200`, by SeeAlso on either system's index): among the added articles "
              "(`--recall-from N`) and among all." + (" \"new/baseline\" = SeeAlso's add seconds / the baseline's."
                                                       if baseline else "")]
    for r in rows:
        b = r["index"]
        recall = f"{b['recall']:.3f}" if b.get("recall") is not None else "–"
        lines.append(f"\nIndex of the first {r['n']} articles of {r['archive']}: built in {b['wall']:.1f} s (lists "
                     f"{b['lists_seconds']:.1f} s, CPU {b['cpu']:.1f} s, peak RSS {mib(b['rss'])} MiB), measured recall@10 "
                     f"{recall}.")
    return lines


def render_serve(rows):
    lines = ["| index | articles | request | SeeAlso serve req/s | p50 ms | p99 ms | failed (non-2xx, socket) | "
             "CLI process per request, s | serve vs CLI (req/s × CLI s) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("case") != "load":
            continue
        cli = r["cli"]
        for key, label, cli_key in [("stored", "GET /v1/articles/{id}/related?stored=true (page view)", "stored_seconds"),
                                    ("scored", "GET /v1/articles/{id}/related (scored)", "scored_seconds"),
                                    ("text", "POST /v1/related (new text)", "text_seconds"),
                                    ("stored_under_writes", "stored reads while 1 write/s", "stored_seconds")]:
            f = r[key]
            lines.append(f"| {r['archive']} | {r['n']:,} | {label} | {f['rps']:,.0f} | {f['p50_ms']:.2f} | {f['p99_ms']:.2f} | "
                         f"{f['non2xx']}, {f['errors']} | {cli[cli_key]:.3f} | ×{f['rps'] * cli[cli_key]:,.0f} |")
    for r in rows:
        if r.get("case") == "load":
            w = r["writes"]
            lines.append(f"\n{r['archive']}: server start {r['startup_seconds']:.1f} s; during the write run {w['count']} PUTs "
                         f"({w['failures']} failed) published {w['generations']} generations, median {seconds_text(w['median_seconds'], 3)} s "
                         f"and at most {seconds_text(w['max_seconds'], 3)} s from request to published answer.")
    for r in rows:
        if r.get("case") == "load" and r["n"] >= 1_000_000:
            stored, scored, text, loaded = r["stored"], r["scored"], r["text"], r["stored_under_writes"]
            def verdict(ok):
                return "met" if ok else "not met"
            lines.append(f"\nGoals on {r['archive']} (issue 11): related-by-id ≥ 10,000 req/s with p99 ≤ 10 ms — stored list "
                         f"{stored['rps']:,.0f} req/s, p99 {stored['p99_ms']:.1f} ms: {verdict(stored['rps'] >= 10_000 and stored['p99_ms'] <= 10)}; "
                         f"scored {scored['rps']:,.0f} req/s, p99 {scored['p99_ms']:.0f} ms: {verdict(scored['rps'] >= 10_000 and scored['p99_ms'] <= 10)}. "
                         f"New-text p99 ≤ 50 ms — {text['p99_ms']:.0f} ms: {verdict(text['p99_ms'] <= 50)}. Zero failed reads while writes "
                         f"run — {loaded['non2xx']} non-2xx, {loaded['errors']} socket errors: {verdict(loaded['non2xx'] + loaded['errors'] == 0)}.")
    for r in rows:
        if r.get("case") == "fuzz":
            lines.append(f"\nschemathesis from the OpenAPI document (`scripts/serve/fuzz.py --seconds N`, every check, a write key): "
                         f"{r.get('requests', '–')} requests in {r.get('seconds', '–')} s, server alive: {r.get('server_alive')}, "
                         f"failures that count (5xx, answers outside the document): {r.get('fatal', {}) or 'none'}; reported only: "
                         f"{r.get('failures', {})} (schema-valid requests refused by rule, e.g. before=true with after=true, and "
                         "lenient parsing the reader shares with `build`).")
    lines += ["", "`seealso serve --index INDEX --port 0 --api-keys KEYS --log-level warning` (release build); wrk 4 on loopback, "
              "1 thread, 16 connections, 20 s per row after a 3 s warm-up, the ids of 2,000 articles drawn at random from the "
              "archive (k = 5); new texts are 200 of those articles sent as drafts. Server and wrk share the machine's cores. "
              "The write run PUTs an update of a random article every second (Python urllib) during the stored-read run. The CLI "
              "column is the median wall time of one `seealso related --index INDEX --id ID -k 5 --format json` process "
              "(`--stored`, or `--stdin` for the text), which opens the index each time; \"serve vs CLI\" is how many times more "
              "requests the service answers in the time of one CLI process."]
    return lines


def render_churn(rows):
    lines = []
    operations = [r for r in rows if r.get("case") == "operations"]
    if operations:
        lines += ["| archive | articles in the index | operation | articles | s | CPU s | peak RSS MiB | lists changed | "
                  "compacted | recall@10 of updated | recall@10 overall | full rebuild s | rebuild / operation | "
                  "rebuild CPU s | rebuild peak RSS MiB | rebuild recall@10 |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in operations:
            for operation in ["update", "delete"]:
                f = r.get(operation)
                if not f:
                    continue
                b = f["rebuild"]
                count = f.get("updated") if operation == "update" else f.get("deleted")
                lines.append(f"| {r['archive']} | {r['n']} | {operation} | {count if count is not None else '–'} | {f['wall']:.2f} | "
                             f"{f['cpu']:.1f} | {mib(f['rss'])} | {f['lists_changed'] if f.get('lists_changed') is not None else '–'} | "
                             f"{'yes' if f.get('compacted') else 'no'} | {seconds_text(f.get('recall_changed'), 3)} | "
                             f"{seconds_text(f.get('recall_all'), 3)} | {b['wall']:.1f} | ×{b['wall'] / f['wall']:.0f} | "
                             f"{b['cpu']:.1f} | {mib(b['rss'])} | {seconds_text(b.get('sampled_recall'), 3)} |")
        lines += ["", f"`seealso synth --articles N+{ADDED_ARTICLES} --seed 1`: its first N articles are indexed with "
                  "`seealso build --method partitioned --k 10` (news defaults; the add stage's index when it is still there); "
                  f"{CHURN_BATCH:,} random articles of them (seed 1) are updated with `seealso update --index COPY --input FILE` "
                  f"(each takes the text and every field of one of the {ADDED_ARTICLES:,} newest articles under its own id), "
                  f"{CHURN_BATCH:,} others deleted with `seealso delete --index COPY --ids-file FILE`, each on its own hard-link "
                  "copy of the index (`cp -al`: generations are never modified in place). s, CPU and peak RSS are the "
                  "update or delete process's; \"lists changed\" is the length of its change record's `listsChanged`. "
                  "Incremental updates have no peer: the reference is what a user would do without them, a full `seealso build` "
                  "with the same flags of the archive the operation leaves (the updated articles at its end, or without the "
                  "deleted ones); \"rebuild / operation\" = its seconds / the operation's. recall@10 against exact lists on 200 "
                  "sampled articles (`seealso eval --recall-sample 200`): among the updated articles (`--recall-from N`) and "
                  f"among all. Targets at 1m: ≤ {CHURN_SECONDS_TARGET:.0f} s and ≤ 8 GB peak RSS for each operation."]
        for r in operations:
            b = r.get("index")
            if b:
                recall = f"{b['recall']:.3f}" if b.get("recall") is not None else "–"
                lines.append(f"\nIndex of the first {r['n']} articles of {r['archive']}: built in {b['wall']:.1f} s (CPU "
                             f"{b['cpu']:.1f} s, peak RSS {mib(b['rss'])} MiB), measured recall@10 {recall}.")
    for r in rows:
        if r.get("case") != "churn":
            continue
        f = r["fresh"]
        lines += ["", "| archive | articles | rounds | updated / deleted / added | churn s (all rounds) | churn CPU s | "
                  "peak RSS MiB | lists changed (sum) | compactions | recall@10 before | recall@10 after | fresh build s | "
                  "fresh build recall@10 |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
                  f"| {r['archive']} | {r['n']} | {len(r['rounds'])} | {r['updated']} / {r['deleted']} / {r['added']} | "
                  f"{r['churn_seconds']:.1f} | {r['churn_cpu']:.1f} | {mib(r['rss'])} | {r['lists_changed']} | {r['compactions']} | "
                  f"{seconds_text(r.get('recall_before'), 3)} | {seconds_text(r.get('recall_after'), 3)} | {f['wall']:.1f} | "
                  f"{seconds_text(f.get('sampled_recall'), 3)} |", "",
                  "| round | update s | delete s | add s | lists changed (update / delete / add) | compacted | articles after |",
                  "|---|---|---|---|---|---|---|"]
        for step in r["rounds"]:
            parts = [step[operation] for operation in ["update", "delete", "add"]]
            lines.append(f"| {step['round']} | " + " | ".join(f"{s['wall']:.2f}" for s in parts) + " | "
                         + " / ".join(str(s['lists_changed']) if s.get('lists_changed') is not None else '–' for s in parts)
                         + " | " + ("/".join(operation for operation, s in zip(["update", "delete", "add"], parts)
                                             if s.get("compacted")) or "no")
                         + f" | {parts[-1].get('articles', '–')} |")
        b = r["index"]
        lines += ["", f"The first {r['n']} articles of `seealso synth --articles {r['archive'][len('synth-'):]} --seed 1` are "
                  f"indexed as above (built in {b['wall']:.1f} s), then churned in {len(r['rounds'])} rounds of "
                  f"`seealso update` of {r['per_round']:,} articles (each takes the text of one of the articles after the first "
                  f"{r['n']} under its own id), `seealso delete` of {r['per_round']:,} others and `seealso add` of "
                  f"{r['per_round']:,} new articles (the last ones of the archive), all on the same index: in all "
                  f"{r['updated']:,} updated, {r['deleted']:,} deleted and {r['added']:,} added, {r['articles_after']} articles "
                  f"after, {r['deleted_rows_after']} deleted rows awaiting compaction. recall@10 of all lists against exact "
                  "lists on 200 sampled articles (`seealso eval --recall-sample 200`) before the first round and after the last; "
                  "\"fresh build\" = `seealso build` with the same flags of the surviving articles in the index's order, what a user "
                  f"would run instead. Target: recall@10 ≥ {CHURN_RECALL_TARGET} after the churn (at 200k)."]
    return lines


def render_limits(row, everything, baseline):
    sgemm = row["sgemm"]
    theirs = {(f["m"], f["n"], f["k"], f["mode"]): f["gflops"] for f in row.get("baseline_sgemm", {}).get("sgemm", [])}
    extra = [f"{baseline} GFLOP/s"] if baseline else []
    lines = [f"OpenBLAS core: {sgemm['blasCore']}; SeeAlso workers: {sgemm['workers']}.", "",
             "| sgemm shape (m×n×k) | mode | GFLOP/s |" + cells(*extra), "|---|---|---|" + "---|" * len(extra)]
    for f in sgemm["sgemm"]:
        their = theirs.get((f["m"], f["n"], f["k"], f["mode"]))
        lines.append(f"| {f['m']}×{f['n']}×{f['k']} | {f['mode']} | {f['gflops']:.1f} |"
                     + (cells(seconds_text(their, 1)) if baseline else ""))
    lines += ["", "Tile shapes are DenseAllPairs' (256 query rows × 4096 database rows × d), C = A·Bᵀ into one reused buffer "
              f"per caller, A and B cycling through a 64k-row database; `{row.get('program', 'seealso bench')} --limits`."]
    if row["bandwidth"]:
        lines += ["", "| memory bandwidth | threads | copy GB/s | triad GB/s |", "|---|---|---|---|"]
        for b in row["bandwidth"]:
            lines.append(f"| STREAM-like, {b['arrayMiB']} MiB arrays | {b['threads']} | {b['copyGBs']:.1f} | {b['triadGBs']:.1f} |")
        lines += ["", "Benchmarks/limits/stream.c (gcc -O2 -pthread), best of the repetitions, 16 (copy) and 24 (triad) bytes "
                  "per element as STREAM counts them."]
    fractions = []
    rates = {(f["k"], f["callers"], f["blasThreads"]): f["gflops"] for f in sgemm["sgemm"] if f["m"] == 256}
    workers = sgemm["workers"]
    for r in everything.get("dense", {}).get("rows", []):
        if r["kind"] != "random":
            continue
        ceiling = rates.get((r["d"], workers, 1)) or rates.get((r["d"], 1, 1))
        s = r["seealso"]
        if ceiling:
            fractions.append(f"| dense all-pairs, n={r['n']}, d={r['d']} | {s['allPairsGflops']:.0f} GFLOP/s | "
                             f"{100 * s['allPairsGflops'] / ceiling:.0f}% of sgemm {256}×4096×{r['d']} in SeeAlso's mode "
                             f"({ceiling:.0f}); {100 * s['fractionOfSgemm']:.0f}% of the bare tiled sgemm of the same run |")
    copy = max((b["copyGBs"] for b in row["bandwidth"]), default=None)
    for r in everything.get("tfidf", {}).get("rows", []):
        if copy and r["config"] == "default":
            rate = r["megabytes"] / r["seealso_wall"] / 1e3
            fractions.append(f"| TF-IDF read+vectorize, {r['corpus']} | {rate * 1e3:.0f} MB/s of input | "
                             f"{100 * rate / copy:.1f}% of copy bandwidth ({copy:.1f} GB/s): compute-bound (tokenizing) |")
    for r in everything.get("exact", {}).get("rows", []):
        if copy:
            pairs = r["documents"] * (r["documents"] - 1) / 2
            fractions.append(f"| exact all-pairs, {r['corpus']} | {pairs / r['seealso_seconds'] / 1e6:.0f} M pairs/s | "
                             "no bandwidth or FLOP ceiling applies: the scores live in a cache-sized tile buffer, the "
                             "dense head is a small GEMM and the sparse tail is latency-bound scattering |")
    if fractions:
        lines += ["", "Achieved fraction of the limits (from the other stages' stored results):", "",
                  "| stage | achieved | fraction |", "|---|---|---|"] + fractions
    return lines


def write_results_markdown(out_dir, plots):
    results_dir = out_dir / "results"
    stored = {}
    for path in sorted(results_dir.glob("*.json")):
        value = json.loads(path.read_text())
        stored[value["stage"]] = value
    sections = [render(stored[stage], stored) for stage in STAGE_ORDER if stage in stored]
    scaling = scaling_rows(stored)
    if scaling:
        sections.append("\n".join(
            ["## Scaling", "", "Exponent b of time ∝ N^b, least squares on log-log over the sizes each stage ran (its command "
             "is above). 1 = linear; all-pairs work is 2 at best without pruning.", "",
             "| stage | series | N | seconds | exponent |", "|---|---|---|---|---|"]
            + [f"| {stage} | {name} | {', '.join(size_label(int(x)) if x >= 1000 else str(int(x)) for x, _ in points)} | "
               f"{', '.join(f'{y:.3g}' for _, y in points)} | {exponent:.2f}{' (2 points)' if len(points) == 2 else ''} |"
               for stage, name, points, exponent in scaling if exponent is not None]) + "\n")
    memory = memory_rows(stored)
    if memory:
        sections.append("\n".join(
            ["## Memory scaling", "", "Peak RSS of each `seealso build` method against the archive size (partitioned stage), "
             "the fitted exponent, and the peak at 5M articles on the line through the two largest sizes (to judge whether a 5M run fits in this "
             f"machine's memory: {machine().split(', ')[-1]}).", "",
             "| method | N | peak RSS MiB | exponent | projected at 5M |", "|---|---|---|---|---|"]
            + [f"| {name} | {', '.join(size_label(x) for x, _ in points)} | {', '.join(mib(y) for _, y in points)} | "
               f"{exponent:.2f} | {projection / 2 ** 30:.1f} GiB |" for name, points, exponent, projection in memory]) + "\n")
    if plots:
        sections.append("\n".join(["## Plots", ""] + [f"![{caption}](plots/{name})  \n{caption}\n" for name, caption in plots]))
    try:
        where = (out_dir / "results").relative_to(ROOT)
    except ValueError:
        where = out_dir / "results"
    text = ["# Benchmark results", "",
            f"Regenerated by `Benchmarks/run` from `{where}/*.json`. Every table comes from one run, whose",
            "command, date and machine are given above it. Times are medians of the repeats; ratios divide the peer's",
            "median by SeeAlso's unless a table says otherwise. Peak RSS is each process's own maximum resident set (wait4).", ""]
    (out_dir / "RESULTS.md").write_text("\n".join(text + sections) + "\n")
    return stored


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seealso", required=True, help="the seealso binary under test (Benchmarks/run builds it unless given)")
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", metavar="REV", help="also run git revision REV (built in release mode in a detached "
                          "worktree under .build-baseline/, reused when built) right after SeeAlso in every stage")
    baseline.add_argument("--baseline-seealso", metavar="PATH", help="also run this seealso binary as the baseline")
    parser.add_argument("--quick", action="store_true", help="small corpora and sizes, one repeat (a few minutes)")
    parser.add_argument("--corpus", action="extend", nargs="+", help="corpus file(s) (JSON Lines, .gz allowed) for tfidf, exact, dense")
    parser.add_argument("--stages", default=",".join(STAGE_ORDER), help=f"comma-separated: {', '.join(STAGE_ORDER)}")
    parser.add_argument("--sizes", help=f"synthetic archive sizes for tfidf and partitioned (default {DEFAULT_SIZES}; quick {QUICK_SIZES})")
    parser.add_argument("--dense-sizes", help=f"random vector counts for dense (default {DEFAULT_DENSE_SIZES}; quick {QUICK_DENSE_SIZES})")
    parser.add_argument("--add-sizes", help=f"index sizes for add, before the {ADDED_ARTICLES} added articles "
                        f"(default {DEFAULT_ADD_SIZES}; quick {QUICK_ADD_SIZES})")
    parser.add_argument("--churn-sizes", help=f"index sizes for churn's update and delete of {CHURN_BATCH} articles "
                        f"(default {DEFAULT_CHURN_SIZES}; quick {QUICK_CHURN_SIZES})")
    parser.add_argument("--churn-recall-size", help=f"index size for churn's recall after {round(CHURN_FRACTION * 100)}%% churn "
                        f"(default {DEFAULT_CHURN_RECALL_SIZE}; quick {QUICK_CHURN_RECALL_SIZE})")
    parser.add_argument("--serve-sizes", help=f"synthetic index sizes for serve besides the sample archive "
                        f"(default {DEFAULT_SERVE_SIZES}; quick {QUICK_SERVE_SIZES})")
    parser.add_argument("--spark-sizes", help=f"synthetic archive sizes for spark (default {DEFAULT_SPARK_SIZES}; quick {QUICK_SPARK_SIZES})")
    parser.add_argument("--threads-sizes", help=f"synthetic archive sizes for threads (default {DEFAULT_THREADS_SIZES}; "
                        f"quick {QUICK_THREADS_SIZES})")
    parser.add_argument("--threads-exact-max", type=parse_size, default=100_000,
                        help="threads stage: exact builds of synthetic archives up to this size (default 100k)")
    parser.add_argument("--spark-exact-max", type=parse_size, default=100_000, help="spark stage: exact builds up to this size")
    parser.add_argument("--serve-fuzz-seconds", type=int, default=None, help="serve: schemathesis time budget (default 300; quick 30)")
    parser.add_argument("--peer-max", type=parse_size, default=200_000, help="skip the Python peers above this many articles")
    parser.add_argument("--exact-max", type=parse_size, default=200_000, help="partitioned stage: skip exact builds above this size")
    parser.add_argument("--dense-max", type=parse_size, default=300_000,
                        help="partitioned stage: skip dense (exhaustive) builds above this size (quadratic: ~1.5 h at 1m)")
    parser.add_argument("--fuzz-seconds", type=int, help="fuzz stage: seconds per target (default 600; quick 60)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats per measurement (default 3; quick 1; one from 100k items up)")
    parser.add_argument("--output", help="folder for results/, RESULTS.md and plots/ (default Benchmarks; quick Benchmarks/work/quick)")
    parser.add_argument("--report-only", action="store_true", help="only regenerate RESULTS.md and the plots from stored results")
    args = parser.parse_args()
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.size_list = [parse_size(s) for s in (args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)).split(",") if s.strip()]
    args.dense_size_list = [parse_size(s) for s in (args.dense_sizes or (QUICK_DENSE_SIZES if args.quick else DEFAULT_DENSE_SIZES)).split(",")
                            if s.strip()]
    args.add_size_list = [parse_size(s) for s in (args.add_sizes or (QUICK_ADD_SIZES if args.quick else DEFAULT_ADD_SIZES)).split(",")
                          if s.strip()]
    args.churn_size_list = [parse_size(s) for s in (args.churn_sizes or (QUICK_CHURN_SIZES if args.quick else DEFAULT_CHURN_SIZES))
                            .split(",") if s.strip()]
    args.churn_recall_size = parse_size(args.churn_recall_size or (QUICK_CHURN_RECALL_SIZE if args.quick
                                                                   else DEFAULT_CHURN_RECALL_SIZE))
    args.serve_size_list = [parse_size(s) for s in (args.serve_sizes or (QUICK_SERVE_SIZES if args.quick else DEFAULT_SERVE_SIZES))
                            .split(",") if s.strip()]
    args.serve_fuzz_seconds = args.serve_fuzz_seconds or (30 if args.quick else 300)
    args.spark_size_list = [parse_size(s) for s in (args.spark_sizes or (QUICK_SPARK_SIZES if args.quick else DEFAULT_SPARK_SIZES))
                            .split(",") if s.strip()]
    args.threads_size_list = [parse_size(s) for s in (args.threads_sizes or (QUICK_THREADS_SIZES if args.quick else DEFAULT_THREADS_SIZES))
                              .split(",") if s.strip()]
    out_dir = Path(args.output).resolve() if args.output else (WORK / "quick" if args.quick else BENCH)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        parser.error(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGE_ORDER)}")
    if args.corpus:
        corpora = [Path(c).resolve() for c in args.corpus]
    else:
        names = QUICK_CORPORA if args.quick else DEFAULT_CORPORA
        corpora = [corpora_dir() / f"{name}.jsonl.gz" for name in names]
    arguments, skip = [], False
    for a in sys.argv[1:]:
        if skip:
            skip = False
        elif a == "--seealso":
            skip = True
        elif not a.startswith("--seealso="):
            arguments.append(a)
    command = ("Benchmarks/run " + " ".join(shlex.quote(a) for a in arguments)).strip()
    (out_dir / "results").mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if not args.report_only:
        args.new = Binary("SeeAlso", str(Path(args.seealso).resolve()))
        args.baseline = baseline_binary(args)
        for stage in stages:
            stage_start = time.perf_counter()
            outcome = STAGES[stage](args, corpora)
            stored = {"stage": stage, "title": TITLES[stage], "command": command, "quick": args.quick,
                      "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine(),
                      "seconds": time.perf_counter() - stage_start,
                      "baseline": args.baseline.description() if args.baseline and stage not in WITHOUT_BASELINE else None,
                      **outcome}
            (out_dir / "results" / f"{stage}.json").write_text(json.dumps(stored, indent=1))
            for note in outcome.get("notes", []):
                log(f"{stage}: note: {note}")
            log(f"{stage}: done in {stored['seconds']:.0f} s")
    stored_before = {}
    for path in sorted((out_dir / "results").glob("*.json")):
        value = json.loads(path.read_text())
        stored_before[value["stage"]] = value
    plots = write_plots(stored_before, out_dir / "plots")
    everything = write_results_markdown(out_dir, plots)
    for stage in STAGE_ORDER:
        if stage in everything and (args.report_only or stage in stages):
            print(render(everything[stage], everything))
    log(f"wrote {out_dir / 'RESULTS.md'} and {len(plots)} plots in {out_dir / 'plots'} "
        f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()

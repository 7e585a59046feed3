#!/usr/bin/env python3
"""SeeAlso's benchmark harness: runs SeeAlso and the peers a user would pick instead on the same
data in the same run, records wall time, CPU time, peak RSS and quality, and regenerates
Benchmarks/RESULTS.md from the stored results (Benchmarks/results/*.json, one file per stage, each
with the command that produced it). Started by `Benchmarks/run`; `--help` lists the options."""
import argparse
import gzip
import json
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "peers"))
from measure import run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "Benchmarks"
WORK = BENCH / "work"
RESULTS = BENCH / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_CORPORA = ["20ng", "reuters21578"]
QUICK_CORPORA = ["ecbplus", "newsarticles"]


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


def median_run(command, repeats, env=None):
    runs = [run_measured(command, env=env) for _ in range(repeats)]
    walls = [r["wall"] for r in runs]
    best = runs[walls.index(statistics.median_low(walls))]
    return {"wall": statistics.median(walls), "walls": walls, "cpu": best["cpu"],
            "rss": max(r["rss"] for r in runs), "stdout": best["stdout"]}


def stage_tfidf(args, corpora):
    """End-to-end TF-IDF (read, tokenize, count, weight): SeeAlso vs scikit-learn's TfidfVectorizer."""
    rows = []
    for corpus in corpora:
        data = plain_copy(corpus)
        megabytes = data.stat().st_size / 1e6
        for config in ["default", "sublinear"]:
            flags = [] if config == "default" else ["--sublinear-tf", "--min-df", "2", "--max-df", "0.5", "--stop-words", "english"]
            ours = median_run([args.seealso, "vectorize", "--input", str(data), "--preset", "sklearn", *flags,
                               "--quiet", "--format", "json"], args.repeats)
            peer = median_run([PYTHON, str(BENCH / "peers" / "sklearn_tfidf.py"), str(data), config], args.repeats)
            summary = json.loads(ours["stdout"])
            peer_summary = json.loads(peer["stdout"])
            # scikit-learn's own timing (read to matrix) leaves out ~1-2 s of interpreter start and imports.
            peer_seconds = [json.loads(run_measured([PYTHON, str(BENCH / "peers" / "sklearn_tfidf.py"), str(data), config])["stdout"])["seconds"]
                            for _ in range(args.repeats - 1)] + [peer_summary["seconds"]]
            peer["wall"] = statistics.median(peer_seconds)
            peer["walls"] = peer_seconds
            rows.append({
                "corpus": corpus.name, "config": config, "megabytes": round(megabytes, 2),
                "documents": summary["documents"], "terms": summary["vocabulary"], "peer_terms": peer_summary["terms"],
                "seealso_wall": ours["wall"], "seealso_walls": ours["walls"], "seealso_cpu": ours["cpu"], "seealso_rss": ours["rss"],
                "sklearn_wall": peer["wall"], "sklearn_walls": peer["walls"], "sklearn_cpu": peer["cpu"], "sklearn_rss": peer["rss"],
                "speedup": peer["wall"] / ours["wall"], "rss_ratio": ours["rss"] / peer["rss"],
            })
            log(f"tfidf {corpus.name} {config}: SeeAlso {ours['wall']:.3f} s, scikit-learn {peer['wall']:.3f} s, "
                f"×{peer['wall'] / ours['wall']:.1f}, RSS {ours['rss'] >> 20} vs {peer['rss'] >> 20} MiB")
    return rows


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


def stage_exact(args, corpora):
    """Exact all-pairs top-10 cosine on the same TF-IDF matrix: SeeAlso vs sparse_dot_topn and
    scikit-learn NearestNeighbors(brute, cosine)."""
    rows = []
    k = 10
    for corpus in corpora:
        data = plain_copy(corpus)
        flags = ["--preset", "sklearn", "--sublinear-tf", "--min-df", "2", "--max-df", "0.5", "--stop-words", "english"]
        mtx = WORK / f"{corpus.name}.mtx"
        run_measured([args.seealso, "vectorize", "--input", str(data), *flags, "--export-mtx", str(mtx), "--quiet"])
        index = WORK / f"{corpus.name}.index"
        seconds = []
        for _ in range(args.repeats):
            result = run_measured([args.seealso, "build", "--input", str(data), *flags, "--method", "exact",
                                   "--k", str(k), "--index", str(index), "--quiet", "--format", "json"])
            seconds.append(json.loads(result["stdout"])["stageSeconds"]["lists"])
        ours_seconds = statistics.median(seconds)
        lists_path = WORK / f"{corpus.name}.lists.jsonl"
        with open(lists_path, "w") as sink:
            sink.write(run_measured([args.seealso, "related", "--index", str(index), "--all", "--format", "jsonl",
                                     "-k", str(k), "--min-score", "0", "--duplicate-threshold", "2", "--quiet"])["stdout"])
        ours = load_our_lists(lists_path)
        row = {"corpus": corpus.name, "documents": len(ours), "seealso_seconds": ours_seconds, "seealso_runs": seconds}
        for peer in ["sparse_dot_topn", "sklearn_brute"]:
            peer_seconds = []
            out = WORK / f"{corpus.name}.{peer}.json"
            for _ in range(args.repeats if peer == "sparse_dot_topn" else 1):
                result = run_measured([PYTHON, str(BENCH / "peers" / "topn_peers.py"), str(mtx), str(k), peer, str(out)])
                peer_seconds.append(json.loads(result["stdout"])["seconds"])
            theirs = json.load(open(out))
            row[f"{peer}_seconds"] = statistics.median(peer_seconds)
            row[f"{peer}_runs"] = peer_seconds
            row[f"{peer}_speedup"] = statistics.median(peer_seconds) / ours_seconds
            row[f"{peer}_differing_rows"] = compare_lists(ours, theirs)
            log(f"exact {corpus.name}: SeeAlso {ours_seconds:.2f} s, {peer} {row[f'{peer}_seconds']:.2f} s "
                f"(×{row[f'{peer}_speedup']:.1f}), rows differing beyond ties: {row[f'{peer}_differing_rows']}")
        rows.append(row)
    return rows


QUALITY_CONFIGS = [
    ("scikit-learn reference (sublinear, min_df 2, max_df 0.5, English stop words, title = body)",
     ["--preset", "sklearn", "--sublinear-tf", "--min-df", "2", "--max-df", "0.5", "--stop-words", "english"]),
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


def stage_quality(args, corpora):
    """Related-list quality of exact TF-IDF cosine under each analysis choice, on the shared corpora
    with gold stories (event P@1) or topics (label P@10)."""
    rows = []
    for name, gold in QUALITY_CORPORA:
        if args.quick and name == "20ng":
            continue
        path = corpora_dir() / f"{name}.jsonl.gz"
        index = WORK / f"quality-{name}.index"
        for label, flags in QUALITY_CONFIGS:
            run_measured([args.seealso, "build", "--input", str(path), *flags, "--method", "exact", "--k", "10",
                          "--index", str(index), "--quiet"])
            metrics = json.loads(run_measured([args.seealso, "eval", "--index", str(index), "--gold", gold,
                                               "--format", "json"])["stdout"])
            rows.append({"corpus": name, "gold": gold, "config": label, "flags": " ".join(flags), **metrics})
            log(f"quality {name} {label}: P@1 {metrics['precisionAt1']:.3f} P@10 {metrics['precisionAtK']:.3f}")
    return rows


STAGES = {"tfidf": stage_tfidf, "exact": stage_exact, "quality": stage_quality}


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu})"


def write_results_markdown():
    sections = []
    for path in sorted(RESULTS.glob("*.json")):
        stored = json.loads(path.read_text())
        sections.append(render(stored))
    text = ["# Benchmark results", "",
            "Regenerated by `Benchmarks/run` from `Benchmarks/results/*.json`. Every table comes from one run, whose",
            "command, date and machine are given above it. Times are medians of the repeats; ratios divide the peer's",
            "median by SeeAlso's. Peak RSS is each process's own maximum resident set (wait4).", ""]
    RESULTS.mkdir(exist_ok=True)
    (BENCH / "RESULTS.md").write_text("\n".join(text + sections) + "\n")


def render(stored):
    lines = [f"## {stored['title']}", "", f"Command: `{stored['command']}`  ", f"Run: {stored['date']} on {stored['machine']}", ""]
    if stored["stage"] == "tfidf":
        lines += ["| corpus | config | MB | docs | SeeAlso s | scikit-learn s | speed-up | SeeAlso MB/s | SeeAlso RSS MiB | scikit-learn RSS MiB | RSS ratio |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in stored["rows"]:
            lines.append(f"| {r['corpus']} | {r['config']} | {r['megabytes']} | {r['documents']} | {r['seealso_wall']:.3f} | "
                         f"{r['sklearn_wall']:.3f} | ×{r['speedup']:.1f} | {r['megabytes'] / r['seealso_wall']:.0f} | "
                         f"{r['seealso_rss'] >> 20} | {r['sklearn_rss'] >> 20} | {r['rss_ratio']:.2f} |")
        lines += ["", "config `default` = TfidfVectorizer(); `sublinear` = sublinear_tf, min_df 2, max_df 0.5, English stop words. "
                  "Input: uncompressed JSON Lines; both sides read the file, tokenize, count and weigh (text = title + \"\\n\" + body). "
                  "SeeAlso's time is the whole `seealso vectorize` process; scikit-learn's is measured inside its process from opening "
                  "the file to the finished matrix (interpreter start and imports excluded). RSS is each whole process."]
    elif stored["stage"] == "exact":
        lines += ["| corpus | docs | SeeAlso s | sparse_dot_topn s (2 threads) | speed-up | rows differing | sklearn brute s | speed-up | rows differing |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in stored["rows"]:
            lines.append(f"| {r['corpus']} | {r['documents']} | {r['seealso_seconds']:.2f} | {r['sparse_dot_topn_seconds']:.2f} | "
                         f"×{r['sparse_dot_topn_speedup']:.1f} | {r['sparse_dot_topn_differing_rows']} | {r['sklearn_brute_seconds']:.2f} | "
                         f"×{r['sklearn_brute_speedup']:.1f} | {r['sklearn_brute_differing_rows']} |")
        lines += ["", "Top-10 cosine neighbours of every article (self excluded) on the same matrix (sublinear_tf, min_df 2, max_df 0.5, "
                  "English stop words). SeeAlso's time is the `lists` stage of `seealso build --method exact`; the peers' times exclude "
                  "loading the matrix. \"rows differing\" counts articles whose lists differ other than by the order of scores equal "
                  "within 1e-5."]
    elif stored["stage"] == "quality":
        lines += ["| corpus (gold) | configuration | P@1 | P@10 | recall@10 | MRR |", "|---|---|---|---|---|---|"]
        for r in stored["rows"]:
            lines.append(f"| {r['corpus']} ({r['gold']}) | {r['config']} | {r['precisionAt1']:.3f} | {r['precisionAtK']:.3f} | "
                         f"{r['recallAtK']:.3f} | {r['meanReciprocalRank']:.3f} |")
        lines += ["", "Exact TF-IDF cosine lists (`seealso build --method exact`, then `seealso eval`), self excluded; a query counts "
                  "when its gold group has another member. Flags of each configuration are in results/quality.json."]
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seealso", required=True)
    parser.add_argument("--quick", action="store_true", help="small corpora, one repeat (a few minutes)")
    parser.add_argument("--corpus", action="append", help="corpus file (JSON Lines, .gz allowed); repeatable")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated: {', '.join(STAGES)}")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    args.repeats = args.repeats or (1 if args.quick else 3)
    if args.corpus:
        corpora = [Path(c).resolve() for c in args.corpus]
    else:
        names = QUICK_CORPORA if args.quick else DEFAULT_CORPORA
        corpora = [corpora_dir() / f"{name}.jsonl.gz" for name in names]
    command = "Benchmarks/run " + " ".join(shlex.quote(a) for a in sys.argv[3:])
    RESULTS.mkdir(parents=True, exist_ok=True)
    for stage in args.stages.split(","):
        rows = STAGES[stage](args, corpora)
        stored = {"stage": stage, "title": {"tfidf": "TF-IDF: SeeAlso vs scikit-learn",
                                            "exact": "Exact all-pairs top-10: SeeAlso vs sparse_dot_topn and scikit-learn",
                                            "quality": "Related-list quality by analysis choice"}[stage],
                  "command": command.strip(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                  "machine": machine(), "rows": rows}
        (RESULTS / f"{stage}.json").write_text(json.dumps(stored, indent=1))
    write_results_markdown()
    log(f"wrote {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""k-means: SeeAlso's `cluster` against scikit-learn's KMeans and FAISS's k-means, in the same run on the
same data, same k and n_init, each seed in turn. Prints one JSON object (rows per tool and seed) on stdout
and a summary table on stderr.

What is timed:
- seealso: `seealso cluster --format json` reports its own clustering seconds (representation + k-means
  [+ refinement]; index loading, descriptions and storing excluded), its stage seconds and the process's
  peak RSS; the wall time of the whole command is measured here too. With --baseline-seealso, that binary's
  same command runs right after each of SeeAlso's (tool "seealso-baseline").
- scikit-learn: KMeans.fit (and TruncatedSVD + normalize for "lsa") on the TF-IDF matrix of
  TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english") over title + body
  (the corpora README's reference setting; vectorizing is not timed). Peak RSS: this process's ru_maxrss.
- same-vectors: SeeAlso writes its LSA vectors (`cluster --export-vectors FILE`, raw float32 n×d); then
  KMeans (scikit-learn) and faiss.Kmeans(spherical=True, nredo=n_init) cluster exactly those vectors, and
  SeeAlso's own k-means stage on them is its `stageSeconds.kmeans`.

Usage (from the package root):
    .venv/bin/python Benchmarks/peers/kmeans_peers.py --seealso /tmp/build-clu/release/seealso \
        --corpus ../shared/corpora/20ng.jsonl.gz --index /tmp/idx/20ng --k 20 --n-init 5 --seeds 0 1 2
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import run_measured  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import TruncatedSVD  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import normalized_mutual_info_score  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_corpus(path, gold_field):
    opener = gzip.open if str(path).endswith(".gz") else open
    texts, gold = [], []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append((record.get("title") or "") + "\n" + (record.get("body") or ""))
            gold.append(record.get(gold_field) or "")
    return texts, gold


def peak_rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def seealso_run(args, binary, seed, representation, export=None):
    command = [binary, "cluster", "--index", args.index, "--k", str(args.k), "--n-init", str(args.n_init),
               "--seed", str(seed), "--representation", representation, "--gold", args.gold,
               "--no-store", "--quiet", "--format", "json"]
    if args.method != "kmeans":
        command += ["--method", args.method]
    if args.dimensions:
        command += ["--dimensions", str(args.dimensions)]
    if export:
        command += ["--export-vectors", export]
    measured = run_measured(command)
    summary = json.loads(measured["stdout"])
    return {"tool": "seealso", "representation": representation, "seed": seed,
            "seconds": summary["clusteringSeconds"], "stage_seconds": summary["stageSeconds"],
            "wall": measured["wall"], "rss": measured["rss"], "self_reported_rss": summary["peakResidentBytes"],
            "nmi": summary["metrics"]["normalizedMutualInformation"], "ari": summary["metrics"]["adjustedRandIndex"],
            "method": summary["method"], "dimensions": summary.get("exportedDimensions"),
            "command": " ".join(command)}


def seealso_runs(args, seed, representation, export=None):
    """SeeAlso's run and, with --baseline-seealso, the baseline binary's right after it on the same index (tool
    "seealso-baseline"; the vectors it exports are not used). A baseline that fails is dropped for the rest of
    the run (args.baseline_error says why), so that it costs the peers nothing."""
    runs = [seealso_run(args, args.seealso, seed, representation, export)]
    if args.baseline_seealso:
        try:
            runs.append({**seealso_run(args, args.baseline_seealso, seed, representation, export and export + ".baseline"),
                         "tool": "seealso-baseline"})
        except RuntimeError as error:
            args.baseline_error = str(error)[-400:]
            args.baseline_seealso = None
            log(f"baseline dropped: {args.baseline_error}")
    return runs


def nmi(gold, labels):
    return float(normalized_mutual_info_score(gold, labels))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seealso", required=True)
    parser.add_argument("--baseline-seealso", help="a baseline seealso run right after --seealso (same index, seeds, k)")
    parser.add_argument("--corpus", required=True, help="the JSON Lines archive the index was built from")
    parser.add_argument("--index", required=True)
    parser.add_argument("--gold", default="label")
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--n-init", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--dimensions", type=int, default=50, help="LSA dimensions on both sides")
    parser.add_argument("--method", default="kmeans", choices=["kmeans", "minibatch"])
    parser.add_argument("--skip", nargs="*", default=[], help="parts to skip: tfidf lsa same-vectors faiss")
    args = parser.parse_args()
    args.baseline_error = None

    texts, gold = read_corpus(args.corpus, args.gold)
    rows = []
    t0 = time.perf_counter()
    X = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english",
                        dtype=np.float32).fit_transform(texts)
    log(f"scikit-learn TF-IDF {X.shape} in {time.perf_counter() - t0:.1f} s (not timed below)")
    del texts

    for seed in args.seeds:
        if "tfidf" not in args.skip:
            ours = seealso_runs(args, seed, "tfidf")
            rows.extend(ours)
            start = time.perf_counter()
            km = KMeans(args.k, n_init=args.n_init, random_state=seed).fit(X)
            rows.append({"tool": "sklearn", "representation": "tfidf", "seed": seed,
                         "seconds": time.perf_counter() - start, "rss": peak_rss(), "nmi": nmi(gold, km.labels_)})
            log(f"seed {seed} tfidf: seealso {ours[0]['seconds']:.2f} s NMI {ours[0]['nmi']:.3f} | "
                f"sklearn {rows[-1]['seconds']:.2f} s NMI {rows[-1]['nmi']:.3f}")
        if "lsa" not in args.skip or "same-vectors" not in args.skip:
            with tempfile.TemporaryDirectory() as folder:
                export = os.path.join(folder, "vectors.f32")
                runs = seealso_runs(args, seed, "lsa", export=export)
                rows.extend(runs)
                ours = runs[0]
                vectors = np.fromfile(export, dtype=np.float32).reshape(len(gold), -1)
            if "lsa" not in args.skip:
                start = time.perf_counter()
                Z = normalize(TruncatedSVD(args.dimensions, random_state=seed).fit_transform(X))
                km = KMeans(args.k, n_init=args.n_init, random_state=seed).fit(Z)
                rows.append({"tool": "sklearn", "representation": "lsa", "seed": seed,
                             "seconds": time.perf_counter() - start, "rss": peak_rss(), "nmi": nmi(gold, km.labels_)})
                log(f"seed {seed} lsa: seealso {ours['seconds']:.2f} s NMI {ours['nmi']:.3f} ({ours['method']}) | "
                    f"sklearn SVD+KMeans {rows[-1]['seconds']:.2f} s NMI {rows[-1]['nmi']:.3f}")
            if "same-vectors" not in args.skip:
                ours_kmeans = ours["stage_seconds"].get("kmeans")
                start = time.perf_counter()
                km = KMeans(args.k, n_init=args.n_init, random_state=seed).fit(vectors)
                rows.append({"tool": "sklearn", "representation": "same-vectors", "seed": seed,
                             "seconds": time.perf_counter() - start, "rss": peak_rss(), "nmi": nmi(gold, km.labels_)})
                line = (f"seed {seed} same {vectors.shape[1]}-d vectors: seealso k-means stage {ours_kmeans:.2f} s | "
                        f"sklearn KMeans {rows[-1]['seconds']:.2f} s NMI {rows[-1]['nmi']:.3f}")
                if "faiss" not in args.skip:
                    import faiss
                    start = time.perf_counter()
                    fk = faiss.Kmeans(vectors.shape[1], args.k, niter=100, nredo=args.n_init, spherical=True,
                                      seed=seed + 1, verbose=False)
                    fk.train(np.ascontiguousarray(vectors))
                    _, labels = fk.index.search(np.ascontiguousarray(vectors), 1)
                    rows.append({"tool": "faiss", "representation": "same-vectors", "seed": seed,
                                 "seconds": time.perf_counter() - start, "rss": peak_rss(),
                                 "nmi": nmi(gold, labels.ravel()), "threads": faiss.omp_get_max_threads()})
                    line += f" | faiss {rows[-1]['seconds']:.2f} s NMI {rows[-1]['nmi']:.3f}"
                log(line)

    summary = {}
    for row in rows:
        key = f"{row['tool']} {row['representation']}"
        summary.setdefault(key, []).append(row)
    log(f"\n{'tool / representation':32} {'median s':>9} {'mean NMI':>9} {'peak RSS MiB':>13}")
    for key, group in summary.items():
        log(f"{key:32} {statistics.median(r['seconds'] for r in group):9.3f} "
            f"{statistics.mean(r['nmi'] for r in group):9.3f} {max(r['rss'] for r in group) / 2**20:13.0f}")
    print(json.dumps({"corpus": args.corpus, "k": args.k, "n_init": args.n_init, "seeds": args.seeds,
                      "dimensions": args.dimensions, "rows": rows, "baseline_error": args.baseline_error}, indent=1))


if __name__ == "__main__":
    main()

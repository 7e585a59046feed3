#!/usr/bin/env python3
"""Compare `seealso vectorize` with scikit-learn's TfidfVectorizer on a real corpus.

Usage (from the package root, with the project's venv):
    .venv/bin/python scripts/parity/sklearn_parity.py --seealso .build/release/seealso \\
        --corpus ../shared/corpora/20ng.jsonl.gz --config default|sublinear \\
        [--tol 1e-5] [--idf-tol TOL] [--workdir DIR] [--allow-vocab-diff FILE]

SeeAlso writes its matrix as Matrix Market (rows in corpus order, columns in the order of
vocab.txt, one UTF-8 term per line) and its model as JSON (optional keys "idf", "vocabulary").
scikit-learn is run on the same texts (title + "\\n" + body). Terms are compared code point for
code point, with no normalization.

Exit status 0 when the vocabularies are identical (or every differing term is listed in the
--allow-vocab-diff file: one term per line, '#' starts a comment line) and every matrix value of
the common terms, and every idf given by the model, is within tolerance; 1 otherwise, including
when seealso fails or its output cannot be read. The last line printed is a JSON summary.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.io
import scipy.sparse
from sklearn.feature_extraction.text import TfidfVectorizer

# Config name -> (seealso flags, matching TfidfVectorizer kwargs).
CONFIGS = {
    "default": ([], {}),
    "sublinear": (
        ["--sublinear-tf", "--min-df", "2", "--max-df", "0.5", "--stop-words", "english"],
        {"sublinear_tf": True, "min_df": 2, "max_df": 0.5, "stop_words": "english"},
    ),
}

SHOW_TERMS = 20


class ParityError(Exception):
    """SeeAlso failed or produced output that cannot be compared."""


def parse_args(argv):
    """Parse the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seealso", required=True, help="path to the seealso executable")
    p.add_argument("--corpus", required=True, help="gzip JSON Lines corpus (id, title, body)")
    p.add_argument("--config", required=True, choices=sorted(CONFIGS))
    p.add_argument("--tol", type=float, default=1e-5, help="max abs difference of matrix values")
    p.add_argument("--idf-tol", type=float, default=None, help="max abs idf difference (default: --tol)")
    p.add_argument("--workdir", help="directory for seealso's outputs (default: a temporary one)")
    p.add_argument("--allow-vocab-diff", metavar="FILE",
                   help="terms allowed to be in only one vocabulary (documented Unicode differences)")
    return p.parse_args(argv)


def read_corpus(path):
    """Return the texts (title + "\\n" + body) of a gzip JSON Lines corpus, in file order."""
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            texts.append((doc.get("title") or "") + "\n" + (doc.get("body") or ""))
    return texts


def read_terms(path):
    """Read one term per line (UTF-8), splitting on '\\n' only; a final newline is optional."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n") if text else []


def read_allowed(path):
    """Read the allowed-difference list: one term per line, blank and '#' lines ignored."""
    return {t for t in read_terms(path) if t.strip() and not t.startswith("#")}


def codepoints(term):
    """Spell a term as code points, e.g. 'caf\\u00e9' -> 'U+0063 U+0061 U+0066 U+00E9'."""
    return " ".join("U+%04X" % ord(c) for c in term)


def run_seealso(args, workdir):
    """Run `seealso vectorize`; return (model path, matrix path, vocab path, seconds)."""
    model = os.path.join(workdir, "model.json")
    mtx = os.path.join(workdir, "X.mtx")
    vocab = os.path.join(workdir, "vocab.txt")
    cmd = [args.seealso, "vectorize", "--input", args.corpus, "--preset", "sklearn",
           *CONFIGS[args.config][0], "--output", model, "--export-mtx", mtx, "--export-vocab", vocab]
    print("running:", " ".join(cmd), flush=True)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise ParityError("cannot run seealso: %s" % exc)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise ParityError("seealso exited with status %d" % proc.returncode)
    for path in (mtx, vocab):
        if not os.path.exists(path):
            raise ParityError("seealso did not write %s" % path)
    return model, mtx, vocab, seconds


def read_model_idf(path):
    """Return {term: idf} from the model file, or None when it gives no usable idf."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        model = json.load(f)
    if not isinstance(model, dict) or not isinstance(model.get("idf"), list):
        return None
    idf, vocab = model["idf"], model.get("vocabulary")
    if isinstance(vocab, dict):  # term -> column, as sklearn's vocabulary_
        return {term: float(idf[col]) for term, col in vocab.items()}
    if isinstance(vocab, list) and len(vocab) == len(idf):
        return {term: float(v) for term, v in zip(vocab, idf)}
    return None


def compare(ours_X, ours_vocab, sk_X, sk_vocab, allowed, tol):
    """Compare two matrices over their common terms; return a dict of findings."""
    ours_index = {t: i for i, t in enumerate(ours_vocab)}
    sk_index = {t: i for i, t in enumerate(sk_vocab)}
    only_ours = [t for t in ours_vocab if t not in sk_index]
    only_sk = [t for t in sk_vocab if t not in ours_index]
    common = [t for t in sk_vocab if t in ours_index]
    res = {
        "only_ours": only_ours,
        "only_sklearn": only_sk,
        "unexplained": [t for t in only_ours + only_sk if t not in allowed],
        "common": len(common),
        "max_abs_diff": None,
        "n_diff_gt_tol": None,
    }
    if ours_X.shape[0] != sk_X.shape[0]:
        return res
    cols_ours = np.array([ours_index[t] for t in common], dtype=np.int64)
    cols_sk = np.array([sk_index[t] for t in common], dtype=np.int64)
    diff = (ours_X[:, cols_ours] - sk_X[:, cols_sk]).tocsr()
    diff.eliminate_zeros()
    values = np.abs(diff.data)
    values[~np.isfinite(values)] = np.inf  # NaN must never pass
    res["max_abs_diff"] = float(values.max()) if values.size else 0.0
    res["n_diff_gt_tol"] = int(np.count_nonzero(values > tol))
    return res


def print_terms(label, terms):
    """Print how many terms are in one vocabulary only, and the first few with code points."""
    print("%s: %d" % (label, len(terms)))
    for t in terms[:SHOW_TERMS]:
        print("    %r  %s" % (t, codepoints(t)))


def main(argv=None):
    """Run both sides, compare, print a report and a JSON summary; return the exit status."""
    args = parse_args(argv)
    idf_tol = args.tol if args.idf_tol is None else args.idf_tol
    allowed = read_allowed(args.allow_vocab_diff) if args.allow_vocab_diff else set()
    workdir = args.workdir or tempfile.mkdtemp(prefix="sklearn_parity_")
    os.makedirs(workdir, exist_ok=True)
    summary = {"corpus": args.corpus, "config": args.config, "tol": args.tol, "pass": False}
    try:
        ok = run(args, workdir, allowed, idf_tol, summary)
    except ParityError as exc:
        print("ERROR:", exc)
        summary["error"] = str(exc)
        ok = False
    summary["pass"] = ok
    for key, value in summary.items():  # keep the summary strict JSON
        if isinstance(value, float) and not np.isfinite(value):
            summary[key] = str(value)
    print(json.dumps(summary, ensure_ascii=True))
    return 0 if ok else 1


def run(args, workdir, allowed, idf_tol, summary):
    """Do the comparison, filling `summary`; return True when parity holds."""
    model_path, mtx_path, vocab_path, t_ours = run_seealso(args, workdir)
    summary["seconds_seealso"] = round(t_ours, 3)
    try:
        ours_X = scipy.sparse.csr_matrix(scipy.io.mmread(mtx_path), dtype=np.float64)
        ours_vocab = read_terms(vocab_path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParityError("cannot read seealso output: %s" % exc)

    texts = read_corpus(args.corpus)
    start = time.perf_counter()
    vec = TfidfVectorizer(**CONFIGS[args.config][1])
    sk_X = vec.fit_transform(texts).tocsr()
    t_sk = time.perf_counter() - start
    sk_vocab = [str(t) for t in vec.get_feature_names_out()]
    summary["seconds_sklearn"] = round(t_sk, 3)

    print("documents: ours %d, sklearn %d (corpus %d)" % (ours_X.shape[0], sk_X.shape[0], len(texts)))
    print("vocabulary: ours %d, sklearn %d" % (len(ours_vocab), len(sk_vocab)))
    print("timing (information only): seealso %.2f s, sklearn fit_transform %.2f s" % (t_ours, t_sk))
    summary.update({"docs_ours": ours_X.shape[0], "docs_sklearn": sk_X.shape[0],
                    "vocab_ours": len(ours_vocab), "vocab_sklearn": len(sk_vocab)})

    ok = True
    if ours_X.shape[1] != len(ours_vocab):
        print("FAIL: matrix has %d columns but vocab.txt has %d terms" % (ours_X.shape[1], len(ours_vocab)))
        print("FAIL")
        return False
    if len(set(ours_vocab)) != len(ours_vocab):
        print("FAIL: vocab.txt has %d duplicate terms" % (len(ours_vocab) - len(set(ours_vocab))))
        ok = False
    if ours_X.shape[0] != sk_X.shape[0]:
        print("FAIL: document counts differ")
        ok = False

    res = compare(ours_X, ours_vocab, sk_X, sk_vocab, allowed, args.tol)
    print_terms("terms only in ours", res["only_ours"])
    print_terms("terms only in sklearn", res["only_sklearn"])
    summary.update({"only_ours": len(res["only_ours"]), "only_sklearn": len(res["only_sklearn"]),
                    "unexplained_vocab_diff": len(res["unexplained"]), "common_terms": res["common"],
                    "max_abs_diff": res["max_abs_diff"], "n_diff_gt_tol": res["n_diff_gt_tol"]})
    if res["unexplained"]:
        if allowed:
            print_terms("differing terms not in the allowed list", res["unexplained"])
        print("FAIL: vocabularies differ")
        ok = False
    elif res["only_ours"] or res["only_sklearn"]:
        print("vocabularies differ only by allowed terms")
    if res["max_abs_diff"] is not None:
        print("common columns: %d; max abs diff %.3g; entries differing by > %g: %d" % (
            res["common"], res["max_abs_diff"], args.tol, res["n_diff_gt_tol"]))
        if res["max_abs_diff"] > args.tol:
            print("FAIL: matrix values differ")
            ok = False

    ours_idf = read_model_idf(model_path)
    if ours_idf is None:
        print("idf: not given by the model file")
        summary["max_idf_diff"] = None
    else:
        pairs = [(ours_idf[t], v) for t, v in zip(sk_vocab, vec.idf_) if t in ours_idf]
        diffs = [abs(a - b) for a, b in pairs]
        max_idf = max((d if d == d else float("inf") for d in diffs), default=0.0)
        summary["max_idf_diff"] = max_idf
        print("idf: %d common terms, max abs diff %.3g" % (len(pairs), max_idf))
        if max_idf > idf_tol:
            print("FAIL: idf differs by more than %g" % idf_tol)
            ok = False
    print("PASS" if ok else "FAIL")
    return ok


if __name__ == "__main__":
    sys.exit(main())

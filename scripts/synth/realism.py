#!/usr/bin/env python3
"""How realistic is a synthetic archive? Exact TF-IDF neighbours on a `seealso synth` file.

Usage (from the package root, with the project's venv):
    .venv/bin/python scripts/synth/realism.py FILE.jsonl[.gz] [--sample 2000] [--seed 0] [--json]

Fits scikit-learn's TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5, stop_words='english')
on title + "\\n" + body of every article, then, for a random sample of articles whose event has
at least two members, finds the exact cosine neighbours among all articles (self excluded) and
reports:
  - event P@1 and P@10: share of the 1 / 10 nearest neighbours in the same event;
  - event P@1 without copies: the same over sampled articles that have no syndicated copy
    (cosine >= 0.9 neighbour), i.e. what is left when near-duplicates are not there to help;
  - label P@10: share of the 10 nearest neighbours with the same label, against the baseline of
    random neighbours (sum over labels of the squared label share);
  - near-duplicates: share of articles (uniform random sample of all articles) that have a
    neighbour with cosine >= 0.9.
For reference, the real ECB+ corpus gives event P@1 0.982 (see ../shared/corpora/README.md).
The last line printed is a JSON summary.
"""

import argparse
import collections
import gzip
import json
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def read_articles(path):
    opener = gzip.open if path.endswith(".gz") else open
    texts, events, labels = [], [], []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts.append(record.get("title", "") + "\n" + record["body"])
            events.append(record.get("event", ""))
            labels.append(record.get("label", ""))
    return texts, np.array(events), np.array(labels)


def neighbours(matrix, rows, k, chunk=256):
    """Top-k cosine neighbours (self excluded) and the best similarity of each row in `rows`."""
    top = np.empty((len(rows), k), dtype=np.int64)
    best = np.empty(len(rows))
    transposed = matrix.T.tocsc()
    for start in range(0, len(rows), chunk):
        block = rows[start:start + chunk]
        sims = (matrix[block] @ transposed).toarray()
        sims[np.arange(len(block)), block] = -1.0
        part = np.argpartition(-sims, k, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1)
        top[start:start + len(block)] = np.take_along_axis(part, order, axis=1)
        best[start:start + len(block)] = sims[np.arange(len(block)), top[start:start + len(block), 0]]
    return top, best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=10)
    arguments = parser.parse_args()

    clock = time.time()
    texts, events, labels = read_articles(arguments.file)
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english")
    matrix = vectorizer.fit_transform(texts).tocsr()
    fit_seconds = time.time() - clock
    n = len(texts)
    k = arguments.k

    rng = np.random.default_rng(arguments.seed)
    sizes = collections.Counter(events.tolist())
    eligible = np.array([i for i in range(n) if sizes[events[i]] >= 2])
    sample = np.sort(rng.choice(eligible, size=min(arguments.sample, len(eligible)), replace=False))
    top, best = neighbours(matrix, sample, k)
    same_event = events[top] == events[sample][:, None]
    same_label = labels[top] == labels[sample][:, None]
    max_p10 = np.mean([min(k, sizes[events[i]] - 1) / k for i in sample])
    no_copy = best < 0.9

    uniform = np.sort(rng.choice(n, size=min(arguments.sample, n), replace=False))
    _, uniform_best = neighbours(matrix, uniform, 1)

    label_share = np.array(list(collections.Counter(labels.tolist()).values())) / n
    summary = {
        "file": arguments.file,
        "articles": n,
        "events": len(sizes),
        "vocabulary": len(vectorizer.vocabulary_),
        "sampled": int(len(sample)),
        "event_p_at_1": round(float(same_event[:, 0].mean()), 4),
        "event_p_at_10": round(float(same_event.mean()), 4),
        "event_p_at_10_max": round(float(max_p10), 4),
        "event_p_at_1_without_copies": round(float(same_event[no_copy, 0].mean()), 4) if no_copy.any() else None,
        "label_p_at_10": round(float(same_label.mean()), 4),
        "label_p_at_10_random": round(float((label_share ** 2).sum()), 4),
        "near_duplicate_share": round(float((uniform_best >= 0.9).mean()), 4),
        "mean_top1_similarity": round(float(best.mean()), 4),
        "fit_seconds": round(fit_seconds, 1),
        "seconds": round(time.time() - clock, 1),
    }
    width = max(len(key) for key in summary)
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}", file=sys.stderr)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

"""recall@k of neighbour lists (int32 id files, n × k, -1 = none) against a reference list file on the
same float32 vectors, with ties tolerated: a listed neighbour counts when its inner product with the
row is at least the reference's k-th score minus 1e-5 (so exact methods that order equal scores
differently still score 1).

    recall.py VECTORS.f32 DIMENSION K REFERENCE.ids LIST.ids [LIST.ids ...]

Prints one JSON line: {"LIST.ids": recall, ...}."""
import json
import sys

import numpy as np


def scores_of(X, ids, rows):
    safe = np.where(ids >= 0, ids, 0)
    values = np.einsum("rd,rkd->rk", X[rows], X[safe])
    return np.where(ids >= 0, values, -np.inf)


def recall(X, reference, lists, k, chunk=4096, tolerance=1e-5):
    n = X.shape[0]
    found = 0.0
    counted = 0
    for start in range(0, n, chunk):
        rows = np.arange(start, min(n, start + chunk))
        ref = reference[rows]
        ref_scores = scores_of(X, ref, rows)
        valid = (ref >= 0).sum(axis=1)
        kth = np.where(valid > 0, np.min(np.where(ref >= 0, ref_scores, np.inf), axis=1), np.inf)
        ours = lists[rows]
        our_scores = scores_of(X, ours, rows)
        hits = ((our_scores >= (kth[:, None] - tolerance)) & (ours >= 0) & (ours != rows[:, None])).sum(axis=1)
        mask = valid > 0
        found += float(np.sum(np.minimum(hits[mask], valid[mask]) / valid[mask]))
        counted += int(mask.sum())
    return found / max(1, counted)


def main():
    path, d, k, reference_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    X = np.fromfile(path, dtype=np.float32).reshape(-1, d)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1
    X = X / norms
    reference = np.fromfile(reference_path, dtype=np.int32).reshape(-1, k)
    result = {}
    for list_path in sys.argv[5:]:
        lists = np.fromfile(list_path, dtype=np.int32).reshape(-1, k)
        result[list_path] = recall(X, reference, lists, k)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Peers for exact all-pairs top-k cosine on the same TF-IDF matrix (MatrixMarket file written by
`seealso vectorize --export-mtx`): sparse_dot_topn (n_threads=2) and scikit-learn
NearestNeighbors(algorithm='brute', metric='cosine'). Prints one JSON line per peer with the timed
seconds (loading excluded) and writes the lists (ids, self excluded) for the quality comparison."""
import json
import sys
import time

import numpy as np
import scipy.io


def top_lists_from_csr(C, k, n):
    lists = []
    for row in range(n):
        start, end = C.indptr[row], C.indptr[row + 1]
        pairs = [(float(v), int(j)) for j, v in zip(C.indices[start:end], C.data[start:end]) if j != row and v > 0]
        pairs.sort(key=lambda p: (-p[0], p[1]))
        lists.append([[j, s] for s, j in pairs[:k]])
    return lists


def main():
    path, k, peer, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    X = scipy.io.mmread(path).tocsr().astype(np.float32)
    n = X.shape[0]
    if peer == "sparse_dot_topn":
        from sparse_dot_topn import sp_matmul_topn
        XT = X.T.tocsr()
        start = time.perf_counter()
        C = sp_matmul_topn(X, XT, top_n=k + 1, n_threads=2, sort=True)
        seconds = time.perf_counter() - start
        lists = top_lists_from_csr(C.tocsr(), k, n)
    elif peer == "sklearn_brute":
        from sklearn.neighbors import NearestNeighbors
        start = time.perf_counter()
        model = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric="cosine", n_jobs=2).fit(X)
        distances, indices = model.kneighbors(X)
        seconds = time.perf_counter() - start
        lists = []
        for row in range(n):
            pairs = [(1 - float(d), int(j)) for d, j in zip(distances[row], indices[row]) if j != row and 1 - d > 0]
            pairs.sort(key=lambda p: (-p[0], p[1]))
            lists.append([[j, s] for s, j in pairs[:k]])
    else:
        raise SystemExit(f"unknown peer {peer}")
    with open(out, "w") as sink:
        json.dump(lists, sink)
    print(json.dumps({"peer": peer, "seconds": seconds}))


if __name__ == "__main__":
    main()

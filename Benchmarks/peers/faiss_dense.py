"""Peer: FAISS dense top-k inner-product search of every vector against all of them (self removed),
on the same raw float32 vectors `seealso bench --dense-vectors` reads (rows L2-normalised here too).

    faiss_dense.py VECTORS.f32 DIMENSION K flat OUT.ids
    faiss_dense.py VECTORS.f32 DIMENSION K ivf OUT.ids NLIST NPROBE

flat = IndexFlatIP (exact, 2·n²·d FLOPs); ivf = IndexIVFFlat with an IndexFlatIP quantizer and the
inner-product metric, trained on all vectors, probing NPROBE of NLIST lists. Searches k+1 and drops
the row itself (or the last hit when the row is not among them). Writes the ids as int32 (n × k,
-1 = none) and prints one JSON line with the timed seconds (loading excluded) and FAISS's threads."""
import json
import sys
import time

import faiss
import numpy as np


def main():
    path, d, k, kind, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    threads = 2
    faiss.omp_set_num_threads(threads)
    X = np.fromfile(path, dtype=np.float32).reshape(-1, d)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1
    X = np.ascontiguousarray(X / norms, dtype=np.float32)
    n = X.shape[0]
    figures = {"peer": f"faiss_{kind}", "rows": n, "dimension": d, "k": k, "threads": threads}
    start = time.perf_counter()
    if kind == "flat":
        index = faiss.IndexFlatIP(d)
        index.add(X)
        figures["train_seconds"] = 0.0
    elif kind == "ivf":
        nlist, nprobe = int(sys.argv[6]), int(sys.argv[7])
        quantizer = faiss.IndexFlatIP(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
        index.train(X)
        figures["train_seconds"] = time.perf_counter() - start
        index.add(X)
        index.nprobe = nprobe
        figures.update(nlist=nlist, nprobe=nprobe)
    else:
        raise SystemExit(f"unknown kind {kind}")
    search_start = time.perf_counter()
    _, found = index.search(X, k + 1)
    figures["search_seconds"] = time.perf_counter() - search_start
    figures["seconds"] = time.perf_counter() - start
    ids = np.full((n, k), -1, dtype=np.int32)
    for row in range(n):
        hits = [int(j) for j in found[row] if j >= 0 and j != row][:k]
        ids[row, :len(hits)] = hits
    ids.tofile(out)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

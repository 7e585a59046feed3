"""Reduced vectors of a real corpus for the dense benchmark: scikit-learn TruncatedSVD (randomized,
random_state 0) of a TF-IDF matrix (MatrixMarket, as `seealso vectorize --export-mtx` writes it),
rows L2-normalised, written as raw little-endian float32 (n × d).

    lsa_vectors.py MATRIX.mtx DIMENSION OUT.f32

Prints one JSON line: rows, dimension, seconds (SVD and projection, loading excluded)."""
import json
import sys
import time

import numpy as np
import scipy.io
from sklearn.decomposition import TruncatedSVD


def main():
    path, d, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    X = scipy.io.mmread(path).tocsr().astype(np.float32)
    start = time.perf_counter()
    d = min(d, min(X.shape) - 1)
    Y = TruncatedSVD(n_components=d, random_state=0).fit_transform(X).astype(np.float32)
    norms = np.linalg.norm(Y, axis=1, keepdims=True)
    norms[norms == 0] = 1
    (Y / norms).astype("<f4").tofile(out)
    print(json.dumps({"rows": Y.shape[0], "dimension": d, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()

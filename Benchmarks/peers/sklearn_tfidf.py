"""Peer: scikit-learn's TfidfVectorizer end to end (read JSON Lines, tokenize, count, weight) on
title + "\\n" + body. Prints one JSON line: documents, terms, stored entries, seconds."""
import json
import sys
import time

from archive_texts import read_texts
from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    path, config = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    texts = read_texts(path)
    kwargs = {}
    if config == "sublinear":
        kwargs = dict(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english")
    matrix = TfidfVectorizer(**kwargs).fit_transform(texts)
    seconds = time.perf_counter() - start
    print(json.dumps({"documents": matrix.shape[0], "terms": matrix.shape[1], "stored": int(matrix.nnz), "seconds": seconds}))


if __name__ == "__main__":
    main()

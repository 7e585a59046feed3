"""Peer: scikit-learn's CountVectorizer (default analyzer: lowercase, token_pattern (?u)\\b\\w\\w+\\b) on
title + "\\n" + body of a JSON Lines archive read into memory first. Times fit_transform alone (tokenize,
count, sort the vocabulary, build the CSR matrix) `repeats` times on one core. Prints one JSON line:
documents, text bytes, terms, stored entries, seconds of each repeat."""
import json
import sys
import time

from archive_texts import read_texts
from sklearn.feature_extraction.text import CountVectorizer


def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    texts = read_texts(path)
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        matrix = CountVectorizer().fit_transform(texts)
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"documents": matrix.shape[0], "textBytes": sum(len(text.encode()) for text in texts),
                      "terms": matrix.shape[1], "stored": int(matrix.nnz), "seconds": seconds}))


if __name__ == "__main__":
    main()

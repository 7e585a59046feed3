"""Peer: scikit-learn's TfidfVectorizer end to end (read JSON Lines, tokenize, count, weight) on
title + "\\n" + body. Prints one JSON line: documents, terms, stored entries, seconds."""
import gzip
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    path, config = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    opener = gzip.open if path.endswith(".gz") else open
    texts = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            texts.append(record.get("title", "") + "\n" + (record.get("body") or record.get("text") or ""))
    kwargs = {}
    if config == "sublinear":
        kwargs = dict(sublinear_tf=True, min_df=2, max_df=0.5, stop_words="english")
    matrix = TfidfVectorizer(**kwargs).fit_transform(texts)
    seconds = time.perf_counter() - start
    print(json.dumps({"documents": matrix.shape[0], "terms": matrix.shape[1], "stored": int(matrix.nnz), "seconds": seconds}))


if __name__ == "__main__":
    main()

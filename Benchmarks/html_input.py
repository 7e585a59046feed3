#!/usr/bin/env python3
"""HTML bodies: what cleaning costs SeeAlso's reader, beside the HTML-to-text tools a user would pick.

Makes a CMS-style export of a synthetic archive (`seealso synth`; bodies wrapped in div/p/a elements with
an inline style, a comment, a script, a share list and entities), then, on one core:
- `seealso vectorize --threads 1` on the HTML export with `--html on` and with `--html off`, and on the
  same articles as plain text: the difference is the cleaning inside the whole read-and-vectorize pass;
- BeautifulSoup 4 (lxml parser) `get_text` and lxml `text_content`, script and style dropped, on the
  same bodies already decoded from JSON.
Medians of 3. Prints one JSON object per row.

    Benchmarks/html_input.py --seealso .build/release/seealso [--articles 20000] [--work DIR]
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import time


def export(seealso, articles, work):
    synth = work / "synth.jsonl"
    subprocess.run([seealso, "synth", "--articles", str(articles), "--seed", "5", "--out", str(synth), "--quiet"], check=True,
                   capture_output=True)
    html_path, plain_path = work / "cms-html.jsonl", work / "cms-plain.jsonl"
    with open(html_path, "w") as html_file, open(plain_path, "w") as plain_file:
        for line in open(synth):
            article = json.loads(line)
            paragraphs = article["body"].split("\n\n")
            html = ('<div class="article-body"><style>.x{color:red}</style>\n'
                    + "".join(f'<p class="para">{p} <a href="https://example.com/{article["id"]}">more&nbsp;&raquo;</a></p>\n' for p in paragraphs)
                    + '<!-- ad slot --><script>track("view", {"id": 1})</script><ul><li>Share</li><li>Print</li></ul></div>')
            common = {"id": article["id"], "title": article["title"], "date": article["date"]}
            html_file.write(json.dumps({**common, "body": html}) + "\n")
            plain_file.write(json.dumps({**common, "body": article["body"]}) + "\n")
    return html_path, plain_path


def median_seconds(run, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seealso", required=True)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--work", default="Benchmarks/work/html")
    arguments = parser.parse_args()
    work = pathlib.Path(arguments.work)
    work.mkdir(parents=True, exist_ok=True)
    html_path, plain_path = export(arguments.seealso, arguments.articles, work)
    bodies = [json.loads(line)["body"] for line in open(html_path)]
    megabytes = sum(len(body.encode()) for body in bodies) / 1e6

    def vectorize(path, mode):
        return lambda: subprocess.run([arguments.seealso, "vectorize", "--input", str(path), "--threads", "1", "--quiet", "--html", mode],
                                      check=True, capture_output=True)

    rows = [("seealso vectorize, HTML export, --html on", vectorize(html_path, "on")),
            ("seealso vectorize, HTML export, --html off", vectorize(html_path, "off")),
            ("seealso vectorize, the same articles as plain text", vectorize(plain_path, "off"))]
    try:
        import lxml.html
        from bs4 import BeautifulSoup

        def soup_text():
            for body in bodies:
                soup = BeautifulSoup(body, "lxml")
                for tag in soup(["script", "style"]):
                    tag.decompose()
                soup.get_text("\n")

        def lxml_text():
            for body in bodies:
                tree = lxml.html.fromstring(body)
                for tag in tree.xpath("//script|//style"):
                    tag.drop_tree()
                tree.text_content()

        rows += [("BeautifulSoup 4 (lxml parser) get_text, bodies only", soup_text), ("lxml text_content, bodies only", lxml_text)]
    except ImportError as error:
        print(json.dumps({"skipped": f"Python peers: {error}"}))
    for name, run in rows:
        seconds = median_seconds(run)
        print(json.dumps({"run": name, "articles": arguments.articles, "htmlMegabytes": round(megabytes, 1), "seconds": round(seconds, 3),
                          "htmlMegabytesPerSecond": round(megabytes / seconds, 1)}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Regenerate SeeAlso's stop-word lists under Models/stopwords/.

  en.txt  scikit-learn's ENGLISH_STOP_WORDS (the list behind
          TfidfVectorizer(stop_words='english')), so SeeAlso matches it exactly.
  it/fr/de/es/pt.txt
          the Snowball project's stop-word lists (BSD-3-Clause), read from the
          copies of Snowball's stop.txt files that Sphinx ships as package data
          (sphinx/search/_stopwords/<lang>.txt).

Usage:
  python3 scripts/models/make_stopwords.py [--venv DIR] [--out DIR]
                                           [--no-install] [--check]

The packages are read from the virtualenv DIR (default: /work/main/.venv); the
script creates DIR if it is missing. Missing packages are pip-installed into it:
scikit-learn at SKLEARN_VERSION if it is absent (an installed scikit-learn is
used as it is, since it is the one SeeAlso must agree with), and Sphinx at
exactly SPHINX_VERSION. Sphinx is never imported: only its data files are read,
and they are checked against the hashes in the wheel's RECORD.

Output: one word per line, lowercase, NFC, sorted by code point, no duplicates,
UTF-8, final newline. With --check nothing is written; the exit status is 1 if
any file differs from what would be generated.

Only the Python standard library is needed to run this script itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

SKLEARN_VERSION = "1.9.1"  # installed only if the venv has no scikit-learn
SPHINX_VERSION = "9.0.4"  # data source for the Snowball lists; pinned exactly

# SeeAlso code -> name of Sphinx's data file (Snowball language in comment).
SNOWBALL_LANGS = {
    "it": "it.txt",  # italian
    "fr": "fr.txt",  # french
    "de": "de.txt",  # german
    "es": "es.txt",  # spanish
    "pt": "pt.txt",  # portuguese
}

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VENV = Path("/work/main/.venv")
DEFAULT_OUT = REPO_ROOT / "Models" / "stopwords"

# Runs inside the venv. Prints one JSON object on stdout. Imports scikit-learn,
# but not Sphinx: Sphinx's files are located and hash-checked via its metadata.
PROBE = r'''
import base64, hashlib, json, sys
from importlib import metadata

out = {"python": sys.version.split()[0], "packages": {}, "errors": []}
for name in ("scikit-learn", "sphinx"):
    try:
        out["packages"][name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        out["packages"][name] = None

if out["packages"]["scikit-learn"] and "--data" in sys.argv:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    if TfidfVectorizer(stop_words="english").get_stop_words() != ENGLISH_STOP_WORDS:
        out["errors"].append("TfidfVectorizer(stop_words='english') != ENGLISH_STOP_WORDS")
    out["en"] = sorted(ENGLISH_STOP_WORDS)

if out["packages"]["sphinx"] and "--data" in sys.argv:
    dist = metadata.distribution("sphinx")
    lic = [str(f) for f in (dist.files or []) if "licenses/" in str(f) or str(f).endswith("LICENSE.rst")]
    out["sphinx_license_expression"] = dist.metadata.get("License-Expression")
    out["sphinx_license_files"] = lic
    records = {str(f): f for f in (dist.files or [])}
    out["snowball"] = {}
    for code, fname in json.loads(sys.argv[sys.argv.index("--data") + 1]).items():
        for kind, rel in (("txt", "sphinx/search/_stopwords/" + fname),
                          ("py", "sphinx/search/_stopwords/" + fname[:-4] + ".py")):
            rec = records.get(rel)
            if rec is None:
                out["errors"].append(rel + ": not in the installed sphinx's RECORD")
                continue
            data = rec.locate().read_bytes()
            if rec.hash is not None:
                digest = base64.urlsafe_b64encode(
                    hashlib.new(rec.hash.mode, data).digest()).rstrip(b"=").decode()
                if digest != rec.hash.value:
                    out["errors"].append(rel + ": hash differs from RECORD")
            out["snowball"].setdefault(code, {})[kind] = data.decode("utf-8")
            out["snowball"][code][kind + "_path"] = rel
print(json.dumps(out))
'''


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def probe(venv: Path, with_data: bool) -> dict:
    cmd = [str(venv_python(venv)), "-c", PROBE]
    if with_data:
        cmd += ["--data", json.dumps(SNOWBALL_LANGS)]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def pip_install(venv: Path, *reqs: str) -> None:
    cmd = [str(venv_python(venv)), "-m", "pip", "install", "--quiet", *reqs]
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def parse_snowball(text: str) -> list[str]:
    """Snowball stop.txt format: '|' starts a comment; the words are the
    whitespace-separated tokens left on each line (in practice one per line)."""
    words = []
    for line in text.splitlines():
        words.extend(line.split("|", 1)[0].split())
    return words


def frozenset_from_py(source: str) -> set[str]:
    """The frozenset literal in Sphinx's generated <lang>.py, for cross-checking."""
    import ast

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "frozenset":
            return set(ast.literal_eval(node.args[0]))
    raise ValueError("no frozenset literal found")


def normalize(words: list[str], label: str) -> list[str]:
    out = set()
    for w in words:
        n = unicodedata.normalize("NFC", w)
        if n != w:
            print(f"note: {label}: {w!r} normalized to NFC", file=sys.stderr)
        if n != n.lower():
            raise SystemExit(f"error: {label}: {w!r} is not lowercase")
        if not n or any(c.isspace() for c in n):
            raise SystemExit(f"error: {label}: bad entry {w!r}")
        out.add(n)
    return sorted(out)  # str ordering in Python is by code point


def render(words: list[str]) -> bytes:
    return ("\n".join(words) + "\n").encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--venv", type=Path, default=DEFAULT_VENV,
                    help=f"virtualenv to read (and if needed install) packages in; default {DEFAULT_VENV}")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT,
                    help=f"output directory; default {DEFAULT_OUT}")
    ap.add_argument("--no-install", action="store_true",
                    help="fail instead of pip-installing missing packages")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if a file differs from the generated one")
    args = ap.parse_args()

    venv = args.venv.absolute()
    if not venv_python(venv).exists():
        if args.no_install:
            raise SystemExit(f"error: no virtualenv at {venv}")
        print(f"+ {sys.executable} -m venv {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)

    info = probe(venv, with_data=False)
    wanted = []
    if info["packages"]["scikit-learn"] is None:
        wanted.append(f"scikit-learn=={SKLEARN_VERSION}")
    if info["packages"]["sphinx"] != SPHINX_VERSION:
        wanted.append(f"sphinx=={SPHINX_VERSION}")
    if wanted:
        if args.no_install:
            raise SystemExit(f"error: {venv} lacks {', '.join(wanted)} (and --no-install given)")
        pip_install(venv, *wanted)

    info = probe(venv, with_data=True)
    if info["errors"]:
        raise SystemExit("error: " + "; ".join(info["errors"]))
    if info["packages"]["sphinx"] != SPHINX_VERSION:
        raise SystemExit(f"error: sphinx {info['packages']['sphinx']} installed, need {SPHINX_VERSION}")

    lists: dict[str, list[str]] = {"en": normalize(info["en"], "en (scikit-learn)")}
    for code in SNOWBALL_LANGS:
        entry = info["snowball"][code]
        raw = parse_snowball(entry["txt"])
        if len(raw) != len(set(raw)):
            print(f"note: {code}: source has duplicate entries (kept once)", file=sys.stderr)
        if set(raw) != frozenset_from_py(entry["py"]):
            raise SystemExit(f"error: {code}: {entry['txt_path']} disagrees with {entry['py_path']}")
        lists[code] = normalize(raw, f"{code} (Snowball via sphinx)")

    print(f"python {info['python']} in {venv}")
    print(f"scikit-learn {info['packages']['scikit-learn']}  (en: ENGLISH_STOP_WORDS)")
    print(f"sphinx {info['packages']['sphinx']}  (licence {info['sphinx_license_expression']}; "
          f"it/fr/de/es/pt: Snowball stop.txt copies in sphinx/search/_stopwords/)")

    out_dir = args.out.absolute()
    changed = []
    for code, words in lists.items():
        path = out_dir / f"{code}.txt"
        data = render(words)
        current = path.read_bytes() if path.exists() else None
        status = "unchanged" if current == data else ("differs" if args.check else "written")
        if current != data:
            changed.append(path)
            if not args.check:
                out_dir.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        non_word = [w for w in words if not all(c.isalnum() for c in w)]
        extra = f"  non-alphanumeric: {' '.join(non_word)}" if non_word else ""
        print(f"{code}.txt  {len(words):4d} words  {status}{extra}")

    if args.check and changed:
        print("stop-word files are out of date: " + ", ".join(str(p) for p in changed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fuzzes `seealso serve` from its own OpenAPI document with schemathesis.

Builds a small synthetic index (topics and stories stored), makes a write key, starts the server on a
free loopback port, runs `schemathesis run` with every check for --seconds, and fails when the server
died, answered 5xx, or answered outside its document (status, content type, schema, headers, methods).
Schema-valid requests it refuses by rule (before=true with after=true) are reported, not failed.
Prints one JSON summary line on stdout: requests tried, failures by check, server alive.
"""
import argparse, base64, json, os, signal, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FATAL = {"not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance",
         "response_headers_conformance", "unsupported_method"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seealso", default=str(ROOT / ".build/release/seealso"))
    parser.add_argument("--seconds", type=int, default=60, help="schemathesis time budget")
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--workdir", default=None, help="keep the index, key file, logs and report here")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="seealso-fuzz-serve-"))
    work.mkdir(parents=True, exist_ok=True)
    seealso = args.seealso
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    archive, index = work / "archive.jsonl", work / "index"
    subprocess.run([seealso, "synth", "--articles", str(args.articles), "--topics", "6", "--years", "1", "--out", str(archive), "--quiet"], check=True, **quiet)
    subprocess.run([seealso, "build", "--input", str(archive), "--index", str(index), "--force", "--quiet"], check=True, **quiet)
    subprocess.run([seealso, "cluster", "--index", str(index), "--quiet"], check=True, **quiet)
    subprocess.run([seealso, "cluster", "--index", str(index), "--method", "stories", "--quiet"], check=True, **quiet)
    keys = work / "write.keys"
    keys.unlink(missing_ok=True)
    key = subprocess.run([seealso, "keys", "create", "--file", str(keys), "--name", "fuzz"], check=True, capture_output=True, text=True).stdout.strip()
    log = open(work / "serve.log", "w")
    server = subprocess.Popen([seealso, "serve", "--index", str(index), "--port", "0", "--api-keys", str(keys), "--log-level", "warning",
                               "--max-body-bytes", "1000000"], stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        port = json.loads(server.stdout.readline())["port"]
        report = work / "schemathesis.ndjson"
        started = time.time()
        run = subprocess.run([str(ROOT / ".venv/bin/schemathesis"), "run", f"http://127.0.0.1:{port}/openapi.json",
                              "-H", f"Authorization: Bearer {key}", "--checks", "all", "--max-time", str(args.seconds),
                              "--request-timeout", "30", "--report", "ndjson", "--report-ndjson-path", str(report), "--no-color"],
                             capture_output=True, text=True, cwd=work)
        seconds = time.time() - started
        alive = server.poll() is None
        failures, requests, examples = {}, 0, []
        for line in open(report):
            event = json.loads(line)
            scenario = event.get("ScenarioFinished")
            if not scenario:
                continue
            recorder = scenario.get("recorder", {})
            requests += len(recorder.get("interactions", {}))
            for case_id, checks in recorder.get("checks", {}).items():
                for check in checks:
                    if check.get("status") != "failure":
                        continue
                    failures[check["name"]] = failures.get(check["name"], 0) + 1
                    if check["name"] in FATAL and len(examples) < 5:
                        request = recorder["interactions"].get(case_id, {}).get("request", {})
                        examples.append(f'{check["name"]}: {request.get("method")} {request.get("uri", "")[:300]}')
        fatal = {name: count for name, count in failures.items() if name in FATAL}
        summary = {"seconds": round(seconds, 1), "requests": requests, "server_alive": alive, "failures": failures,
                   "fatal": fatal, "examples": examples}
        print(json.dumps(summary))
        if not alive or fatal:
            sys.stderr.write(run.stdout[-6000:] + "\n")
            sys.exit(1)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()

"""Load test of `seealso serve` with wrk on loopback (the harness's serve stage).

For one index: starts the server, then runs wrk against
  - GET /v1/articles/{id}/related?k=5&stored=true   (the page view: the stored list; ids drawn at random)
  - GET /v1/articles/{id}/related?k=5               (scored over the whole archive, as `seealso related --id`)
  - POST /v1/related?k=5                            (a new text: a draft's box; bodies drawn from the archive)
  - the stored read again while a writer PUTs one article per second (updates of random articles)
and reports requests/s, p50/p99 latency, non-2xx answers and socket errors from wrk's own counts, beside the
per-process cost of the CLI for the same work (`seealso related --id`, `--stored`, `--stdin`, median of runs).
"""
import json
import os
import random
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

LUA_REQUESTS = """
counter = 0
request = function()
  counter = counter + 1
  local n = (counter %% #requests) + 1
  return wrk.format(requests[n][1], requests[n][2], {["Content-Type"] = "application/json"}, requests[n][3])
end
done = function(summary, latency, requests_)
  io.write(string.format("RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"non2xx\\": %%d, \\"errors\\": %%d, "
    .. "\\"p50_ms\\": %%f, \\"p99_ms\\": %%f, \\"max_ms\\": %%f}\\n",
    summary.requests, summary.duration / 1e6, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
requests = {
%s
}
"""


def lua_string(text):
    """A Lua string literal of `text` (UTF-8 as is; quotes, backslashes and control characters as decimal escapes)."""
    return '"' + "".join(f"\\{ord(c):03d}" if ord(c) < 32 or c in '"\\' else c for c in text) + '"'


def wrk_script(folder, name, requests):
    lines = ",\n".join("{%s, %s, %s}" % (lua_string(m), lua_string(p), "nil" if b is None else lua_string(b)) for m, p, b in requests)
    path = Path(folder) / f"{name}.lua"
    path.write_text(LUA_REQUESTS % lines)
    return path


def run_wrk(url, script, seconds, connections, threads=1):
    """wrk's own figures for one run (requests/s from its request count and duration)."""
    run = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url],
                         capture_output=True, text=True)
    line = next((line for line in run.stdout.splitlines() if line.startswith("RESULT ")), None)
    if run.returncode != 0 or line is None:
        raise RuntimeError(f"wrk {script.name} failed ({run.returncode}): {run.stdout[-1000:]} {run.stderr[-1000:]}")
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def median_seconds(command, repeats, stdin=None):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sample_articles(archive, count, seed=1):
    """`count` articles of a JSON Lines archive, drawn evenly (reservoir) with a fixed seed."""
    rng = random.Random(seed)
    chosen = []
    with open(archive) as lines:
        for number, line in enumerate(lines):
            if len(chosen) < count:
                chosen.append(line)
            else:
                slot = rng.randrange(number + 1)
                if slot < count:
                    chosen[slot] = line
    return [json.loads(line) for line in chosen]


class Writer(threading.Thread):
    """PUTs one article per second (an update of a random article of `articles`) until stopped."""

    def __init__(self, base, key, articles):
        super().__init__(daemon=True)
        self.base, self.key, self.articles = base, key, articles
        self.stop = threading.Event()
        self.latencies, self.failures, self.generations = [], 0, set()

    def run(self):
        rng = random.Random(7)
        while not self.stop.is_set():
            started = time.perf_counter()
            article = dict(rng.choice(self.articles))
            article["title"] = "Updated: " + article.get("title", "")
            request = urllib.request.Request(f"{self.base}/v1/articles/{urllib.request.quote(article['id'], safe='')}",
                                             data=json.dumps(article).encode(), method="PUT",
                                             headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    self.generations.add(json.load(response)["generation"])
            except Exception:  # noqa: BLE001 — counted, not raised: the load test reports failures
                self.failures += 1
            self.latencies.append(time.perf_counter() - started)
            self.stop.wait(max(0.0, 1.0 - (time.perf_counter() - started)))


def load_test(seealso, index, archive, seconds=15, connections=16, cli_repeats=10, log=print):
    """The figures of one index (see the module docstring)."""
    work = Path(tempfile.mkdtemp(prefix="seealso-serve-bench-"))
    keys = work / "keys"
    key = subprocess.run([seealso, "keys", "create", "--file", str(keys), "--name", "bench"], capture_output=True, text=True,
                         check=True).stdout.strip()
    articles = sample_articles(archive, 2000)
    ids = [a["id"] for a in articles]
    drafts = [{"title": a.get("title", ""), "body": a.get("body") or a.get("text", ""), "date": a.get("date")} for a in articles
              if (a.get("body") or a.get("text") or "").strip()][:200]
    from urllib.parse import quote
    stored = wrk_script(work, "stored", [("GET", f"/v1/articles/{quote(i, safe='')}/related?k=5&stored=true", None) for i in ids])
    scored = wrk_script(work, "scored", [("GET", f"/v1/articles/{quote(i, safe='')}/related?k=5", None) for i in ids])
    texts = wrk_script(work, "texts", [("POST", "/v1/related?k=5", json.dumps({k: v for k, v in d.items() if v})) for d in drafts])
    started = time.perf_counter()
    server = subprocess.Popen([seealso, "serve", "--index", str(index), "--port", "0", "--api-keys", str(keys), "--log-level", "warning"],
                              stdout=subprocess.PIPE, stderr=open(work / "serve.log", "w"), text=True)
    result = {}
    try:
        port = json.loads(server.stdout.readline())["port"]
        base = f"http://127.0.0.1:{port}"
        result["startup_seconds"] = time.perf_counter() - started
        for name, script in [("stored", stored), ("scored", scored), ("text", texts)]:
            run_wrk(base, script, 3, connections)  # warm the pages and the connection pool
            result[name] = run_wrk(base, script, seconds, connections)
            log(f"serve {name}: {result[name]['rps']:.0f} req/s, p50 {result[name]['p50_ms']:.2f} ms, "
                f"p99 {result[name]['p99_ms']:.2f} ms, non-2xx {result[name]['non2xx']}, errors {result[name]['errors']}")
        writer = Writer(base, key, articles)
        writer.start()
        result["stored_under_writes"] = run_wrk(base, stored, seconds, connections)
        writer.stop.set()
        writer.join()
        result["writes"] = {"count": len(writer.latencies), "failures": writer.failures, "generations": len(writer.generations),
                            "median_seconds": statistics.median(writer.latencies) if writer.latencies else None,
                            "max_seconds": max(writer.latencies) if writer.latencies else None}
        log(f"serve stored reads under 1 write/s: {result['stored_under_writes']['rps']:.0f} req/s, "
            f"p99 {result['stored_under_writes']['p99_ms']:.2f} ms, non-2xx {result['stored_under_writes']['non2xx']}, "
            f"errors {result['stored_under_writes']['errors']}; writes {result['writes']}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    probe = ids[len(ids) // 2]
    result["cli"] = {
        "scored_seconds": median_seconds([seealso, "related", "--index", str(index), "--id", probe, "-k", "5", "--format", "json"], cli_repeats),
        "stored_seconds": median_seconds([seealso, "related", "--index", str(index), "--id", probe, "-k", "5", "--stored", "--format", "json"],
                                         cli_repeats),
        "text_seconds": median_seconds([seealso, "related", "--index", str(index), "--stdin", "-k", "5", "--format", "json"], cli_repeats,
                                       stdin=json.dumps({k: v for k, v in drafts[0].items() if v})),
    }
    log(f"serve: CLI per process: {result['cli']}")
    result["connections"] = connections
    result["seconds"] = seconds
    return result

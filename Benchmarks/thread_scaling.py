"""The threads stage of the benchmark harness: how much of each stage of `seealso build` runs in parallel.

Each workload (a build command) runs with `--threads 1` and `--threads 2`, alternating (1, 2, then 2, 1, …) so
that a drift in the machine's load falls on both; the stages' wall and CPU seconds come from the build's JSON
summary (`stages`, and their sub-stages `vectorizeStages` and `listStages`, which carry wall and CPU seconds).

Amdahl's law: a stage whose serial fraction is s takes T(p) = T1·(s + (1 − s)/p) on p threads, so the two
measured points give s = 2·T2/T1 − 1 (clamped to [0, 1]) and the model projects T(4), T(8), T(16). A second,
independent estimate of s comes from the CPU the stage used: if the serial part keeps one core busy and the
parallel part p cores, and the CPU work does not grow with p, CPU/wall at p threads is u = 1/(s + (1 − s)/p),
hence s = 2/u − 1 at p = 2. The whole build at p threads is modelled as the sum of its finest stages' T(p).
"""
import json
import shutil
import statistics
from pathlib import Path

THREADS = (1, 2)
PROJECTED = (4, 8, 16)
NOISE_SECONDS = 0.05  # a stage shorter than this at one thread gives no meaningful serial fraction
NOISY_RANGE = 0.5  # nor does one whose repeats put s anywhere in a range this wide
SLOWER = 1.1  # T2/T1 above this: slower on 2 threads than noise or a serial stage explains
BUSY = 0.9  # CPU/wall of the whole process on 1 thread below this: other processes held the cores
DOMINANT = 4  # stages named in the summary of what dominates at 16 threads
OUTSIDE = "process start and exit"
REST = "rest of the stage (not timed separately)"

# The issue's figures (issue 13), measured on a 16-core machine with earlier code: (what, p, T(p), q, T(q), goal as T(p)/T(q)).
ISSUE_FIGURES = {
    "vectorize": ("vectorizing 1M synthetic articles", 2, 21.0, 16, 5.6, 6.0),
    "exact": ("exact lists of 100k articles", 1, 40.2, 16, 3.8, 12.0),
    "partitioned": ("the partitioned build of 1M articles", None, None, 16, 102.0, None),
}


def modelled(t1, s, p):
    """Amdahl's law: the time on p threads of a stage taking t1 on one thread with serial fraction s."""
    return t1 * (s + (1 - s) / p)


def serial_fraction(t1, t2):
    """s = 2·T2/T1 − 1 from the times on one and two threads (unclamped; None without a time)."""
    return 2 * t2 / t1 - 1 if t1 and t2 is not None and t1 > 0 else None


def implied_serial_fraction(p, q, ratio):
    """The s under which Amdahl's law gives T(p)/T(q) = ratio (p < q): s = (r/q − 1/p) / (1 − 1/p − r + r/q)."""
    return (ratio / q - 1 / p) / (1 - 1 / p - ratio + ratio / q)


def clamp(s):
    return min(1.0, max(0.0, s))


# ---------------------------------------------------------------------------------------------
# Measuring


def run_timings(run):
    """One build run (run_measured's dict, its stdout the build's JSON summary) as its stages in order: each
    {"name", "level" (0: a stage of `stages`, 1: one of its sub-stages), "wall", "cpu" (None where the summary has none:
    older binaries give sub-stages wall seconds only)}.
    A stage with sub-stages is followed by them and by the rest of its time that no sub-stage covers; the last
    entry is the process's time outside every stage (start, reading the options, exit)."""
    summary = json.loads(run["stdout"])
    entries = []
    for stage in summary["stages"]:
        entries.append({"name": stage["name"], "level": 0, "wall": stage["wallSeconds"], "cpu": stage["cpuSeconds"]})
        subs = summary.get("vectorizeStages", []) if stage["name"] == "read and vectorize" else \
            summary.get("listStages", []) if stage["name"].startswith("lists") else []
        for sub in subs:
            entries.append({"name": sub["name"], "level": 1, "wall": sub["wallSeconds"], "cpu": sub.get("cpuSeconds")})
        if subs:
            timed = all("cpuSeconds" in sub for sub in subs)
            entries.append({"name": REST, "level": 1, "wall": stage["wallSeconds"] - sum(sub["wallSeconds"] for sub in subs),
                            "cpu": stage["cpuSeconds"] - sum(sub["cpuSeconds"] for sub in subs) if timed else None})
    entries.append({"name": OUTSIDE, "level": 0, "wall": run["wall"] - sum(stage["wallSeconds"] for stage in summary["stages"]),
                    "cpu": run["cpu"] - sum(stage["cpuSeconds"] for stage in summary["stages"])})
    return entries, summary.get("workerCount"), summary.get("articleCount")


def measure_workload(command, repeats, run_measured, log, label):
    """The build `command` (without --threads) run `repeats` times with each of THREADS, alternating, after one
    untimed run when repeats > 1 (page cache). Returns the stages with every run's seconds and their medians."""
    if repeats > 1:
        run_measured(command + ["--threads", str(THREADS[-1])])
    runs = {p: [] for p in THREADS}
    for repeat in range(repeats):
        for p in (THREADS if repeat % 2 == 0 else THREADS[::-1]):
            run = run_measured(command + ["--threads", str(p)])
            entries, workers, articles = run_timings(run)
            if workers != p:
                raise RuntimeError(f"{label}: --threads {p} ran {workers} workers")
            runs[p].append({"wall": run["wall"], "cpu": run["cpu"], "rss": run["rss"], "entries": entries})
            log(f"threads {label}: --threads {p} {run['wall']:.2f} s, CPU {run['cpu']:.2f} s")
    shapes = {tuple((e["level"], e["name"] if e["level"] == 0 else i) for i, e in enumerate(r["entries"]))
              for p in THREADS for r in runs[p]}
    if len(shapes) != 1:
        raise RuntimeError(f"{label}: the runs report different stages: {shapes}")
    stages = []
    for i, first in enumerate(runs[THREADS[0]][0]["entries"]):
        stage = {"name": first["name"], "level": first["level"]}
        for p in THREADS:
            walls = [r["entries"][i]["wall"] for r in runs[p]]
            stage[f"t{p}"], stage[f"t{p}_runs"] = statistics.median(walls), walls
            if first["cpu"] is not None:
                stage[f"cpu{p}"] = statistics.median(r["entries"][i]["cpu"] for r in runs[p])
        stages.append(stage)
    process = {str(p): {"wall": statistics.median(r["wall"] for r in runs[p]), "walls": [r["wall"] for r in runs[p]],
                        "cpu": statistics.median(r["cpu"] for r in runs[p]), "rss": max(r["rss"] for r in runs[p])}
               for p in THREADS}
    return {"articles": articles, "stages": stages, "process": process, "repeats": repeats}


def workload_row(args, run_measured, log, work, label, kind, method, data, flags, flags_text):
    """The row of one workload: `seealso build --method method` of `data` with `flags`, k = 10."""
    index = Path(work) / "threads" / f"{label}.{method}.index"
    command = [args.new.path, "build", "--input", str(data), *flags, "--method", method, "--k", "10", "--index", str(index),
               "--format", "json", "--quiet"]
    figures = measure_workload(command, args.repeats, run_measured, log, f"{label} {method}")
    shutil.rmtree(index, ignore_errors=True)
    return {"label": label, "kind": kind, "method": method, "flags": flags_text, **figures}


# ---------------------------------------------------------------------------------------------
# RESULTS.md


def stage_model(stage):
    """(s raw, s clamped, (s low, s high) from the repeats' extremes or None, why s means little or None)."""
    t1, t2 = stage["t1"], stage["t2"]
    raw = serial_fraction(t1, t2)
    spread = None
    if len(stage["t1_runs"]) > 1 and min(stage["t1_runs"]) > 0:
        spread = (clamp(serial_fraction(max(stage["t1_runs"]), min(stage["t2_runs"]))),
                  clamp(serial_fraction(min(stage["t1_runs"]), max(stage["t2_runs"]))))
    why = None
    if t1 < NOISE_SECONDS:
        why = f"< {NOISE_SECONDS * 1e3:.0f} ms"
    elif spread and spread[1] - spread[0] > NOISY_RANGE:
        why = "repeats disagree"
    elif t2 > SLOWER * t1:
        why = f"slower on 2 threads (T2/T1 = {t2 / t1:.2f})"
    elif raw is not None and raw < 0:
        why = "more than 2× faster on 2 threads"
    return raw, clamp(raw) if raw is not None else 1.0, spread, why


def leaves(stages):
    """The finest stages (those without sub-stages, and the sub-stages): their times add up to the whole build."""
    return [stage for i, stage in enumerate(stages)
            if stage["level"] == 1 or i + 1 == len(stages) or stages[i + 1]["level"] == 0]


def whole_projection(row, p):
    """The whole build on p threads: the sum of its finest stages' modelled times."""
    return sum(modelled(stage["t1"], stage_model(stage)[1], p) for stage in leaves(row["stages"]))


def _fraction_text(stage):
    raw, s, spread, why = stage_model(stage)
    text = f"{s:.2f}"
    if spread:
        text += f" ({spread[0]:.2f}–{spread[1]:.2f})"
    return f"~{text}, noise: {why}" if why else text


def _cpu_texts(stage):
    """(CPU/wall at 1 thread, at 2 threads, s from the latter) for stages with CPU seconds."""
    if stage.get("cpu2") is None or min(stage["t1"], stage["t2"], stage["cpu2"]) <= 0:
        return "–", "–", "–"
    u = stage["cpu2"] / stage["t2"]
    return f"{stage['cpu1'] / stage['t1']:.2f}", f"{u:.2f}", f"{clamp(2 / u - 1):.2f}"


def render_row(row):
    runs = f"{row['repeats']} repeats per thread count, medians" if row["repeats"] > 1 else "one run per thread count"
    lines = [f"**{row['label']}, `--method {row['method']}`** ({row['articles']:,} articles, {row['flags']}; {runs})", "",
             "| stage | T1 s | T2 s | T1/T2 | serial fraction s (range over repeats) | CPU/wall at 1 / 2 threads | s from CPU | "
             + " | ".join(f"T({p}) s" for p in PROJECTED) + f" | T1/T({PROJECTED[-1]}) |",
             "|---|---|---|---|---|---|---|" + "---|" * len(PROJECTED) + "---|"]
    for stage in row["stages"]:
        s = stage_model(stage)[1]
        cpu1, cpu2, cpu_s = _cpu_texts(stage)
        name = f"· {stage['name']}" if stage["level"] == 1 else stage["name"]
        speedup = f"×{stage['t1'] / stage['t2']:.2f}" if stage["t2"] > 0 else "–"
        lines.append(f"| {name} | {stage['t1']:.3f} | {stage['t2']:.3f} | {speedup} | {_fraction_text(stage)} | "
                     f"{cpu1 if cpu1 == '–' else f'{cpu1} / {cpu2}'} | {cpu_s} | "
                     + " | ".join(f"{modelled(stage['t1'], s, p):.3f}" for p in PROJECTED)
                     + f" | ×{1 / (s + (1 - s) / PROJECTED[-1]):.1f} |")
    t1, t2 = (sum(stage[f"t{p}"] for stage in leaves(row["stages"])) for p in THREADS)
    process = row["process"]
    lines.append(f"| **whole build** (sum of the finest stages) | {t1:.3f} | {t2:.3f} | ×{t1 / t2:.2f} | "
                 f"{clamp(serial_fraction(t1, t2)):.2f} | {process['1']['cpu'] / process['1']['wall']:.2f} / "
                 f"{process['2']['cpu'] / process['2']['wall']:.2f} | "
                 f"{clamp(2 * process['2']['wall'] / process['2']['cpu'] - 1):.2f} | "
                 + " | ".join(f"**{whole_projection(row, p):.3f}**" for p in PROJECTED)
                 + f" | **×{t1 / whole_projection(row, PROJECTED[-1]):.1f}** |")
    p = PROJECTED[-1]
    total = whole_projection(row, p)
    ranked = sorted(leaves(row["stages"]), key=lambda stage: -modelled(stage["t1"], stage_model(stage)[1], p))[:DOMINANT]
    parts = []
    for stage in ranked:
        s = stage_model(stage)[1]
        parts.append(f"{stage['name']} {modelled(stage['t1'], s, p):.2f} s ({modelled(stage['t1'], s, p) / total:.0%}; "
                     f"its serial part s·T1 = {s * stage['t1']:.2f} s, {s * stage['t1'] / total:.0%})")
    serial = sum(stage_model(stage)[1] * stage["t1"] for stage in leaves(row["stages"]))
    lines += ["", f"At {p} threads the model gives {total:.2f} s, of which {serial:.2f} s ({serial / total:.0%}) is serial "
              f"(Σ s·T1, the floor no number of threads lowers). Largest stages then: " + "; ".join(parts) + ". "
              f"Measured whole process: {process['1']['wall']:.2f} s on 1 thread, {process['2']['wall']:.2f} s on 2 "
              f"(CPU {process['1']['cpu']:.2f} / {process['2']['cpu']:.2f} s; peak RSS {process['1']['rss'] / 2 ** 20:.0f} / "
              f"{process['2']['rss'] / 2 ** 20:.0f} MiB)."]
    busy = process["1"]["cpu"] / process["1"]["wall"]
    if busy < BUSY:
        lines += ["", f"**Warning: on 1 thread the build used only {busy:.2f} CPU-seconds per second** (a one-thread build keeps "
                  "about one core busy): other processes held the cores during this run, so its times are inflated and its "
                  "serial fractions overstated."]
    return lines


def _find_stage(row, prefix):
    return next((stage for stage in row["stages"] if stage["level"] == 0 and stage["name"].startswith(prefix)), None)


def comparison(rows):
    """The model's projections beside the issue's 16-core figures, from the largest synthetic workloads."""
    synthetic = [r for r in rows if r["kind"] == "synthetic"]
    partitioned = max((r for r in synthetic if r["method"] == "partitioned"), key=lambda r: r["articles"], default=None)
    exact = max((r for r in synthetic if r["method"] == "exact"), key=lambda r: r["articles"], default=None)
    exact = exact or next((r for r in rows if r["method"] == "exact"), None)
    lines = ["| issue 13 figure (16 cores, earlier code) | measured there | s implied there | goal | largest s meeting the goal | "
             "this model | s here (from) |", "|---|---|---|---|---|---|---|"]
    what, p, tp, q, tq, goal = ISSUE_FIGURES["vectorize"]
    vectorize = partitioned and _find_stage(partitioned, "read and vectorize")
    if vectorize:
        s = stage_model(vectorize)[1]
        scale = 1_000_000 / partitioned["articles"]
        lines.append(f"| {what}, {p} → {q} threads | {tp} → {tq} s (×{tp / tq:.1f}) | {implied_serial_fraction(p, q, tp / tq):.3f} | "
                     f"×{goal:.0f} | {implied_serial_fraction(p, q, goal):.3f} | ×{modelled(1, s, p) / modelled(1, s, q):.1f}; "
                     f"{modelled(vectorize['t1'], s, p) * scale:.1f} → {modelled(vectorize['t1'], s, q) * scale:.1f} s "
                     f"(scaled linearly from {partitioned['label']}) | {s:.3f} ({partitioned['label']}, read and vectorize) |")
    what, p, tp, q, tq, goal = ISSUE_FIGURES["exact"]
    lists = exact and _find_stage(exact, "lists")
    if lists:
        s = stage_model(lists)[1]
        lines.append(f"| {what}, {p} → {q} threads | {tp} → {tq} s (×{tp / tq:.1f}) | {implied_serial_fraction(p, q, tp / tq):.3f} | "
                     f"×{goal:.0f} | {implied_serial_fraction(p, q, goal):.3f} | ×{modelled(1, s, p) / modelled(1, s, q):.1f}; "
                     f"{lists['t1']:.1f} → {modelled(lists['t1'], s, q):.1f} s ({exact['label']}, {exact['articles']:,} articles) | "
                     f"{s:.3f} ({exact['label']}, lists) |")
    what, _, _, q, tq, _ = ISSUE_FIGURES["partitioned"]
    if partitioned:
        scale = 1_000_000 / partitioned["articles"]
        lines.append(f"| {what} on {q} cores | {tq:.0f} s | – | – | – | {whole_projection(partitioned, q) * scale:.0f} s "
                     f"(whole build at {q} threads, scaled linearly from {partitioned['label']}) | "
                     f"{clamp(serial_fraction(*(sum(stage[f't{t}'] for stage in leaves(partitioned['stages'])) for t in THREADS))):.3f} "
                     f"({partitioned['label']}, whole build) |")
    return lines


def render(rows):
    lines = []
    for row in rows:
        lines += render_row(row) + [""]
    if rows:
        lines += ["The model's projections beside the issue's figures. Those were measured on another machine (16 cores) with "
                  "earlier code, so only ratios compare; absolute times here are this machine's, scaled linearly in the number "
                  "of articles where the issue's archive is larger. \"s implied there\" solves Amdahl's law for the issue's "
                  "measured ratio r = T(p)/T(q): s = (r/q − 1/p) / (1 − 1/p − r + r/q); \"largest s meeting the goal\" does "
                  "the same for the goal's ratio.", ""] + comparison(rows) + [""]
    lines += [f"Each workload is `seealso build … --k 10 --format json --quiet --threads P` with P = 1 and 2, alternating, "
              "after one untimed run when repeated; stage times are the build's own (`stages`, with the sub-stages "
              "`vectorizeStages` and `listStages`, marked ·; \"rest of the stage\" is the part of a stage no sub-stage covers; "
              f"\"{OUTSIDE}\" is the process's wall time outside the stages). Model (Amdahl's law): a stage with serial "
              "fraction s takes T(p) = T1·(s + (1 − s)/p) on p threads; from the medians, s = 2·T2/T1 − 1, clamped to [0, 1]; "
              "the range is the same formula at the repeats' extremes (slowest T1 with fastest T2, and the reverse). "
              f"s is marked ~ where it means little: a stage under {NOISE_SECONDS * 1e3:.0f} ms, repeats that put it in a range "
              f"wider than {NOISY_RANGE}, a stage over {SLOWER - 1:.0%} slower on 2 threads (clamped to 1; one merely no faster is "
              "serial, s = 1, and unmarked) or more than twice as fast (clamped to 0). "
              "\"s from CPU\": if the serial part keeps one core busy and the parallel part two, CPU/wall at 2 threads is "
              "u = 1/(s + (1 − s)/2), so s = 2/u − 1 (only for stages whose summary gives CPU seconds; spinning BLAS threads "
              "raise u, other processes on a shared machine lower it). The whole build's T(p) is the sum of its finest "
              "stages' T(p). Caveats: two points fit one parameter; the model sees neither memory bandwidth nor "
              "synchronisation costs that grow with p, so its speed-ups at 4–16 threads are upper bounds, and on a shared "
              f"2-core machine other processes' load inflates T2 (and so s)."]
    return lines

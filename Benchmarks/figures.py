"""The benchmark plots, drawn with matplotlib from the stored results (harness.py calls write_plots).

Rules every plot follows: one series per system, never a line joining two corpora (corpora are groups of
bars or panels of their own); values written on the bars; times on log scales (they span orders of
magnitude); quality axes zoomed to the values' range where starting at 0 would hide the differences, with
the axis label saying where it starts. Plots are SVG (text drawn as paths, so they look the same in every
viewer) without a date stamp, so regenerating unchanged results rewrites identical files."""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

COLORS = plt.get_cmap("tab10").colors + plt.get_cmap("Dark2").colors
plt.rcParams.update({"svg.hashsalt": "seealso", "svg.fonttype": "path", "font.size": 10, "axes.titlesize": 12,
                     "axes.titleweight": "bold", "figure.titlesize": 13, "figure.titleweight": "bold"})


def seconds_text(value):
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def count_text(value):
    for scale, suffix in [(1e6, "M"), (1e3, "k")]:
        if value >= scale:
            return f"{value / scale:g}{suffix}"
    return f"{value:g}"


def color_of(names):
    """One colour per series name, the same name always the same colour within a plot."""
    return {name: COLORS[i % len(COLORS)] for i, name in enumerate(names)}


def save(figure, path):
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)


def zoomed_limits(values):
    """x limits for bars of values in [0, 1]: from 0 when the values already spread over most of that range,
    else from a round number below the smallest (the differences would vanish against a bar from 0);
    room on the right for the written values."""
    low, high = min(values), max(values)
    span = max(high - low, 0.01)
    start = math.floor((low - 0.5 * span) * 100) / 100
    if start < 0.25:
        start = 0.0
    return start, high + 0.2 * (high - start)


def loglog(title, xlabel, series, path, fit):
    """series: {name: [(N, seconds)]} of one family of inputs (synthetic sizes); dashed: reference series."""
    names = [name for name, points in series.items() if any(x > 0 and y > 0 for x, y in points)]
    if not names:
        return False
    panels = split_by_dimension(names)
    figure, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels) + 0.8, 6.4), squeeze=False, sharey=True)
    colors = color_of(sorted({name.split(" d=")[0] for name in names}, key=[n.split(" d=")[0] for n in names].index))
    panel_ends = []
    for ax, (panel, panel_names) in zip(axes[0], panels):
        ends = []
        for name in panel_names:
            points = sorted(p for p in series[name] if p[0] > 0 and p[1] > 0)
            xs, ys = [x for x, _ in points], [y for _, y in points]
            exponent = fit(points) if len(set(xs)) >= 2 else None
            dashed = "sgemm" in name or "vectorize (in build)" in name or "baseline" in name
            label = name.split(" d=")[0] + (f"  (N^{exponent:.2f})" if exponent is not None else "")
            ax.plot(xs, ys, marker="o", linestyle="--" if dashed else "-", color=colors[name.split(" d=")[0]], label=label)
            ends.append((xs[-1], ys[-1], colors[name.split(" d=")[0]]))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(f"{xlabel} (log scale)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: count_text(v)))
        ax.yaxis.set_major_locator(LogLocator(base=10))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: seconds_text(v)))
        low, high = ax.get_xlim()
        ax.set_xlim(low, high * 2.2)  # room for the last point's value
        panel_ends.append((ax, ends))
        ax.grid(True, which="major", color="#ddd")
        ax.grid(True, which="minor", color="#f0f0f0")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, -0.13), title="series (fitted exponent: time ∝ N^b)",
                  title_fontsize=8, ncols=2, frameon=False)
        if panel:
            ax.set_title(panel, fontsize=11, fontweight="normal")
    for ax, ends in panel_ends:  # after every panel is drawn: they share the y axis
        label_ends(ax, ends)
    axes[0][0].set_ylabel("wall time (log scale)")
    figure.suptitle(title)
    figure.tight_layout()
    save(figure, path)
    return True


def label_ends(ax, ends):
    """Writes each series' last value beside its last point; labels that would overlap are spread apart
    around their mean height."""
    low, high = (math.log10(v) for v in ax.get_ylim())
    placed = sorted(((math.log10(y) - low) / (high - low), x, y, color) for x, y, color in ends)
    gap, clusters = 0.04, []
    for fraction, x, y, color in placed:
        if clusters and fraction < clusters[-1][-1][0] + gap:
            clusters[-1].append((fraction, x, y, color))
        else:
            clusters.append([(fraction, x, y, color)])
    floor = -1.0
    for cluster in clusters:
        centre = sum(f for f, *_ in cluster) / len(cluster)
        start = max(floor, centre - gap * (len(cluster) - 1) / 2)
        for i, (_, x, y, color) in enumerate(cluster):
            ax.annotate(seconds_text(y), xy=(x, y), xytext=(x * 1.12, start + i * gap), textcoords=("data", "axes fraction"),
                        va="center", fontsize=8, color=color)
        floor = start + len(cluster) * gap


def split_by_dimension(names):
    """[(panel title, names)]: one panel per " d=…" suffix (dense vectors), else one panel."""
    dimensions = sorted({name.split(" d=")[1] for name in names if " d=" in name}, key=int)
    if not dimensions:
        return [("", names)]
    return [(f"d = {d}", [name for name in names if name.endswith(f" d={d}")]) for d in dimensions]


def grouped_log_bars(title, groups, path):
    """groups: [(group label, [(series, seconds)])]: one group per corpus, bars per system, log scale."""
    if not groups:
        return False
    names = list(dict.fromkeys(name for _, bars in groups for name, _ in bars))
    colors = color_of(names)
    width = 0.8 / len(names)
    figure, ax = plt.subplots(figsize=(2.5 + 0.75 * len(groups) * len(names), 5))
    for g, (_, bars) in enumerate(groups):
        for name, value in bars:
            x = g + (names.index(name) - (len(names) - 1) / 2) * width
            ax.bar(x, value, width * 0.92, color=colors[name], label=name if g == 0 else None)
            ax.annotate(seconds_text(value), (x, value), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=8)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: seconds_text(v)))
    ax.set_ylabel("wall time (log scale)")
    ax.set_xticks(range(len(groups)), [label for label, _ in groups])
    low, high = ax.get_ylim()
    ax.set_ylim(low, high * 2)
    ax.grid(True, axis="y", color="#ddd")
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(title)
    figure.tight_layout()
    save(figure, path)
    return True


def bar_panels(title, metric, panels, path, columns=2):
    """panels: [(panel title, [(bar label, value)])], values in [0, 1]: horizontal bars with their values
    written on them, each panel's axis zoomed to its own values (the label says where it starts)."""
    panels = [(name, bars) for name, bars in panels if bars]
    if not panels:
        return False
    columns = min(columns, len(panels))
    rows = math.ceil(len(panels) / columns)
    tallest = max(len(bars) for _, bars in panels)
    figure, axes = plt.subplots(rows, columns, figsize=(7.2 * columns, rows * (0.8 + 0.3 * tallest) + 0.6), squeeze=False)
    labels = list(dict.fromkeys(label for _, bars in panels for label, _ in bars))
    colors = color_of(labels)
    for ax, (name, bars) in zip(axes.flat, panels):
        values = [value for _, value in bars]
        start, end = zoomed_limits(values)
        positions = range(len(bars))
        ax.barh(positions, [value - start for value in values], left=start, color=[colors[label] for label, _ in bars], height=0.75)
        for y, value in zip(positions, values):
            ax.text(value, y, f" {value:.3f}", va="center", fontsize=8)
        ax.set_yticks(positions, [label for label, _ in bars], fontsize=8)
        ax.set_ylim(tallest - 0.5, -0.5)  # the same bar thickness in every panel, first bar on top
        ax.set_xlim(start, end)
        ax.set_xlabel(metric + ("" if start == 0 else f" (axis starts at {start:.2f}, not 0)"), fontsize=9)
        ax.set_title(name, fontsize=10, fontweight="normal")
        ax.grid(True, axis="x", color="#ddd")
        ax.set_axisbelow(True)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    figure.suptitle(title)
    figure.tight_layout()
    save(figure, path)
    return True


def write_plots(stored, plots_dir, time_series, fit, baseline_name):
    """Writes the SVGs; returns [(file name, caption)]. time_series: harness.time_series(stored)."""
    plots_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stage, (title, xlabel, series) in time_series.items():
        name = f"time-{stage}.svg"
        if stage == "exact":
            if exact_bars(stored, plots_dir / name, baseline_name):
                written.append((name, "Exact all-pairs top-10 on each corpus: wall time per system, log scale"))
        elif loglog(title, xlabel, series, plots_dir / name, fit):
            written.append((name, f"{title}: seconds against {xlabel}, log-log (fitted exponent in the legend)"))
    if "quality" in stored:
        panels = {}
        for r in stored["quality"]["rows"]:
            metric = "precisionAt1" if r["gold"] == "event" else "precisionAtK"
            panels.setdefault(f"{r['corpus']} ({'P@1, gold stories' if metric == 'precisionAt1' else 'P@10, gold topics'})", []).append(
                (r["config"].split(" (")[0], r[metric]))
        if bar_panels("Related-list quality by analysis choice", "precision", list(panels.items()), plots_dir / "quality.svg"):
            written.append(("quality.svg", "Related-list quality: P@1 (gold stories) or P@10 (gold topics) per analysis choice, "
                                           "one panel per corpus"))
    recall = recall_panels(stored)
    if bar_panels("recall@10 against exact lists", "recall@10", recall, plots_dir / "recall.svg"):
        seealso = "exhaustive and IVF" if any(label.startswith("SeeAlso IVF") for _, bars in recall for label, _ in bars) else "exhaustive"
        written.append(("recall.svg", "recall@10 against exact lists: SeeAlso builds on synthetic archives (after re-ranking) "
                                      f"and dense searches on LSA vectors of the corpora (SeeAlso {seealso} vs FAISS IVF)"))
    clusters = []
    for r in stored.get("kmeans", {}).get("rows", []):
        clusters.append((f"{r['corpus']} ({r['gold']}, k={r['k']})",
                         [(system, f["nmi"]) for system, f in r["systems"].items() if f.get("nmi") is not None]))
    stories = [(r["corpus"], r["nmi"]) for r in stored.get("stories", {}).get("rows", [])]
    if stories:
        clusters.append(("stories (no k), one bar per corpus", stories))
    if bar_panels("Clustering NMI against gold", "NMI", clusters, plots_dir / "clustering.svg"):
        written.append(("clustering.svg", "Clustering quality (NMI) against the gold labels or stories, one panel per corpus"))
    if (plots_dir / "report.png").exists():  # made by scripts/report-screenshot, not from the results
        written.append(("report.png", "The page seealso report writes for a synthetic archive (scripts/report-screenshot), "
                                      "in headless Chromium"))
    return written


def exact_bars(stored, path, baseline_name):
    groups = []
    for r in stored["exact"]["rows"]:
        bars = [("SeeAlso exact", r["seealso_seconds"])]
        if "baseline" in r:
            bars.append((f"{baseline_name(stored['exact'])} exact", r["baseline"]["seconds"]))
        bars += [("sparse_dot_topn", r["sparse_dot_topn_seconds"]), ("scikit-learn brute", r["sklearn_brute_seconds"])]
        groups.append((f"{r['corpus'].split('.')[0]} ({r['documents']:,} articles)", bars))
    return grouped_log_bars("Exact all-pairs top-10 on the same TF-IDF matrix", groups, path)


def recall_panels(stored):
    builds, dense = [], []
    for r in stored.get("partitioned", {}).get("rows", []):
        for system, f in r["systems"].items():
            if f.get("recall") is not None and system in ("partitioned", "dense"):
                builds.append((f"{system}, synth {r['label']}", f["recall"]))
    panels = [("seealso build on synthetic archives", builds)]
    by_corpus = {}
    for r in stored.get("dense", {}).get("rows", []):
        if r["kind"] != "lsa":
            continue  # random vectors have no cluster structure for IVF to use: see the dense table
        bars = by_corpus.setdefault(r["vectors"], [])
        bars.append((f"SeeAlso dense (exact), d={r['d']}", r["recall_seealso"]))
        if "recall_seealso_ivf" in r:
            bars.append((f"SeeAlso IVF, d={r['d']}", r["recall_seealso_ivf"]))
        bars.append((f"FAISS IVF, d={r['d']}", r["recall_ivf"]))
    return panels + [(f"dense search, {name}", bars) for name, bars in by_corpus.items()]

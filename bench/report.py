#!/usr/bin/env python3
"""Writes docs/benchmarks.md and its SVG charts from the load generator's results (one JSON object per line).

Overhead is a gateway's latency percentile minus the same percentile of calls straight to the simulator, in the
same run, at the same rate: what the gateway adds on top of the upstream.
"""
import json
import sys
from datetime import datetime, timezone

TARGETS = ["nginx", "sluice", "sluice-conversation", "sluice-x2", "sluice-x2-conversation", "portkey"]
NAMES = {"direct": "straight to the simulator", "nginx": "nginx (one proxy hop)", "sluice": "Sluice, stateless", "sluice-cache": "Sluice, response cache hit", "sluice-miss": "Sluice, response cache miss", "sluice-conversation": "Sluice, stored conversation (PostgreSQL)",
         "portkey": "Portkey gateway", "sluice-stream": "Sluice, stream (first chunk)",
         "sluice-x2": "two Sluice replicas behind nginx, stateless", "sluice-x2-conversation": "two Sluice replicas behind nginx, stored conversation"}
COLORS = {"direct": "#888888", "nginx": "#17becf", "sluice": "#1f77b4", "sluice-cache": "#ff7f0e", "sluice-miss": "#8c564b", "sluice-conversation": "#2ca02c", "portkey": "#d62728", "sluice-stream": "#9467bd",
          "sluice-x2": "#aec7e8", "sluice-x2-conversation": "#98df8a"}
PCTS = [("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p999", "p99.9")]
FLOOR = "postgres-commit"  # bench/commit-floor's lines: PostgreSQL alone, not a gateway


def load(path):
    runs = [json.loads(line) for line in open(path) if line.strip()]
    for r in runs:
        r["target"], r["sim"] = r["label"].split("/")
    return runs


def find(runs, target, sim, mode, rate=None, stream=False):
    for r in runs:
        if r["target"] == target and r["sim"] == sim and r["mode"] == mode and r["stream"] == stream and (rate is None or r["rate"] == rate):
            return r
    return None


def floor_runs(runs):
    """bench/commit-floor's measured rates, lowest first."""
    return sorted((r for r in runs if r["target"] == FLOOR and r["latency_us"]), key=lambda r: r["rate"])


def ms(us):
    return us / 1000.0


def own_p99(runs, target, rate, stream=False):
    """Sluice's own time p99 (ms, its Server-Timing header) at a rate, simulator at 0 ms; None when not measured."""
    r = find(runs, target, "0", "rate", rate, stream) if rate else None
    return ms(r["gateway_us"]["p99"]) if r and r.get("gateway_us") else None


def overhead(runs, target, sim, rate, key="latency_us", stream=False):
    g, d = find(runs, target, sim, "rate", rate, stream), find(runs, "direct", sim, "rate", rate, stream)
    if not g or not d or not g[key] or not d[key]:
        return None
    return {p: ms(g[key][p] - d[key][p]) for p, _ in PCTS}


def within(runs, target, rate, limit_ms):
    """Whether a target's last run at a rate (simulator at 0 ms) kept its p99 within limit_ms of the direct call's, without errors."""
    def last(t):
        found = [r for r in runs if r["target"] == t and r["sim"] == "0" and r["mode"] == "rate" and not r["stream"] and r["rate"] == rate]
        return found[-1] if found else None
    g, d = last(target), last("direct")
    return bool(g and d and g["latency_us"] and d["latency_us"] and g["errors"] == 0
                and g["latency_us"]["p99"] - d["latency_us"]["p99"] <= limit_ms * 1000)


SUSTAINED = ["nginx", "sluice", "sluice-conversation", "sluice-x2", "sluice-x2-conversation", "portkey"]


def sustained(runs):
    """The sustained rate of each target: the highest rate tried whose p99 stayed within 20 ms of the direct call's."""
    md = ["## Sustained rate", "",
          "The highest rate at which each keeps the p99 it adds to the direct call under 20 ms, with no failed call "
          "(simulator at 0 ms; the figure independent gateway benchmarks publish). `bench/run` climbs a ladder of rates "
          "past the sweep's and stops a target at its first rate over the limit, so the true figure lies between the two "
          "columns.", "", "| target | sustained rate (calls/s) | first rate over 20 ms (calls/s) | p99 added there (ms) |", "|---|---|---|---|"]
    for t in SUSTAINED:
        tried = sorted({r["rate"] for r in runs if r["target"] == t and r["sim"] == "0" and r["mode"] == "rate" and not r["stream"]})
        if not tried:
            continue
        good = [rate for rate in tried if within(runs, t, rate, 20)]
        over = [rate for rate in tried if rate not in good and (not good or rate > max(good))]
        o = overhead(runs, t, "0", over[0]) if over else None
        md.append(f"| {NAMES[t]} | {max(good) if good else '< ' + str(tried[0])} | {over[0] if over else 'none up to ' + str(tried[-1])} | "
                  + (f"{o['p99']:.1f}" if o else "-") + " |")
    return md + [""]


def ledger_scale(path):
    """The ledger at scale, from bench/ledger-scale's last result (docs/bench/ledger-scale.json), kept across bench/run runs."""
    try:
        r = json.load(open(path))
    except (OSError, ValueError):
        return []
    t = lambda k: f"{r[k]['median_ms']:.1f} ms (worst {r[k]['worst_ms']:.1f})"
    e, f, d, b = r["stored_turns_300_per_s_empty_ledger"], r["stored_turns_300_per_s_full_ledger"], r["disk"], r["budget_checked_call"]
    return ["## The ledger at 100 million rows", "",
            f"Written by `bench/ledger-scale` on {r.get('date', '?')} ({r.get('machine', 'this machine')}), not by `bench/run`: "
            f"{r['rows']:,} synthetic ledger rows over {r['days']} days (200,000 a day: the seeds' 50,000 conversations a day, four "
            "attempts each; 200 owners, 20,000 end users, 400 keys, 4 models), generated in PostgreSQL by SQL, in monthly partitions, "
            f"their day rollups computed from the same rows (load {r['load_s']} s, indexes {r['index_s']} s). Each report is timed over "
            "HTTP, median and worst of 7 after a warm-up ([costs.md](costs.md#a-ledger-that-stays-fast-day-rollups-monthly-partitions-retention)).", "",
            "| what | this run | target |", "|---|---|---|",
            f"| 30-day report, all owners, by day (`/admin/usage`, whole days as the console asks) | {t('report_30_days_by_day_all_owners')} | < 200 ms |",
            f"| 30-day report, all owners, by model, from 30 × 24 h ago (partial first day) | {t('report_30_days_by_model_all_owners')} | < 200 ms |",
            f"| `/v1/usage`, one owner, 30 days | {t('v1_usage_one_owner_30_days')} | < 200 ms |",
            f"| `/v1/usage/daily`, one owner, 30 days | {t('v1_usage_daily_one_owner_30_days')} | < 200 ms |",
            f"| raw ledger rows read by a budget-checked call whose owner (month) and user (day) counters are built from the ledger "
            f"(`pg_stat_user_tables`) | {b['raw_ledger_rows_read']} (the call: {b['status']}, {b['ms']:.0f} ms) | 0 |",
            f"| control: raw rows read by one owner's report by conversation for one day (only the raw ledger answers it) | "
            f"{r.get('control_report_by_conversation_raw_rows_read', '-')} | - |",
            f"| stored turns at 300/s, empty ledger: p50 / p99 / mean turn commit | {e['p50_ms']:.1f} / {e['p99_ms']:.1f} / {e['turn_commit_mean_ms']:.1f} ms | - |",
            f"| stored turns at 300/s, full ledger: p50 / p99 / mean turn commit | {f['p50_ms']:.1f} / {f['p99_ms']:.1f} / {f['turn_commit_mean_ms']:.1f} ms | unchanged |",
            f"| disk: database / raw ledger with its indexes / rollups | {d['database_gb']} GB / {d['ledger_gb']} GB / {d['rollups_mb']} MB ({d['rollup_rows']:,} rows) | reported |",
            ""]


def bar_chart(path, title, ylabel, groups, series, value):
    """Grouped bars: one group per x label, one bar per series; value(group, series) -> number or None."""
    w, h, left, bottom, top = 760, 360, 70, 60, 40
    vals = [value(g, s) for g in groups for s in series]
    vals = [v for v in vals if v is not None]
    vmax = max(vals + [0.001]) * 1.15
    vmin = min(vals + [0]) * 1.15
    span = vmax - vmin
    plot_w, plot_h = w - left - 20, h - top - bottom
    y = lambda v: top + plot_h * (vmax - v) / span
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>', f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>',
           f'<text x="16" y="{top + plot_h / 2}" transform="rotate(-90 16 {top + plot_h / 2})" text-anchor="middle">{ylabel}</text>']
    for i in range(6):
        v = vmin + span * i / 5
        out.append(f'<line x1="{left}" x2="{w - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3g}</text>')
    out.append(f'<line x1="{left}" x2="{w - 20}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333"/>')
    gw = plot_w / max(1, len(groups))
    bw = gw * 0.8 / max(1, len(series))
    for gi, g in enumerate(groups):
        gx = left + gi * gw + gw * 0.1
        out.append(f'<text x="{left + gi * gw + gw / 2:.1f}" y="{h - bottom + 18}" text-anchor="middle">{g}</text>')
        for si, s in enumerate(series):
            v = value(g, s)
            if v is None:
                continue
            x, y0, y1 = gx + si * bw, y(max(v, 0)), y(min(v, 0))
            out.append(f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bw * 0.9:.1f}" height="{max(1, y1 - y0):.1f}" fill="{COLORS.get(s, "#999")}"/>')
            out.append(f'<text x="{x + bw * 0.45:.1f}" y="{y0 - 3:.1f}" text-anchor="middle" font-size="10">{v:.3g}</text>')
    lx = left
    for s in series:
        out.append(f'<rect x="{lx}" y="{h - 24}" width="12" height="12" fill="{COLORS.get(s, "#999")}"/>')
        out.append(f'<text x="{lx + 16}" y="{h - 14}">{NAMES.get(s, s)}</text>')
        lx += 30 + 7 * len(NAMES.get(s, s))
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def targets(runs, rates, stream_rates):
    """The issue's targets, each with what this run measured."""
    def fmt(v, unit):
        return "not measured" if v is None else v if isinstance(v, str) else f"{v:.2f} {unit}"
    rows = []
    o = overhead(runs, "sluice", "0", 1000) if 1000 in rates else None
    rows.append(("stateless, non-streaming: overhead p99 at 1,000 calls/s", "<= 1 ms", o and o["p99"], "ms", lambda v: v <= 1, own_p99(runs, "sluice", 1000)))
    sm, pm = find(runs, "sluice", "0", "max"), find(runs, "portkey", "0", "max")
    ratio = sm["throughput"] / pm["throughput"] if sm and pm and pm["throughput"] > 0 else None
    rows.append(("maximum throughput against Portkey's, same run", ">= 3x", ratio, "x", lambda v: v >= 3, None))
    nm, cm = find(runs, "nginx", "0", "max"), find(runs, "sluice-conversation", "0", "max")
    share = sm["throughput"] / nm["throughput"] if sm and nm and nm["throughput"] > 0 else None
    rows.append(("stateless maximum throughput against nginx's (one proxy hop), same run", ">= 60%", share and 100 * share, "%", lambda v: v >= 60, None))
    stored = cm["throughput"] / sm["throughput"] if cm and sm and sm["throughput"] > 0 else None
    rows.append(("stored turns' maximum throughput against stateless calls', same run", ">= 60%", stored and 100 * stored, "%", lambda v: v >= 60, None))
    c1000 = overhead(runs, "sluice-conversation", "0", 1000) if 1000 in rates else None
    rows.append(("stored conversation turn: overhead p99 at 1,000 turns/s", "<= 10 ms", c1000 and c1000["p99"], "ms", lambda v: v <= 10,
                 own_p99(runs, "sluice-conversation", 1000 if 1000 in rates else None)))
    rate = max(stream_rates) if stream_rates else None
    t = overhead(runs, "sluice", "0", rate, "ttfc_us", True) if rate else None
    rows.append((f"streaming: time-to-first-chunk overhead p99 (at {rate}/s)", "<= 1 ms", t and t["p99"], "ms", lambda v: v <= 1, own_p99(runs, "sluice", rate, True)))
    c = overhead(runs, "sluice-conversation", "0", 300) if 300 in rates else None
    rows.append(("stored conversation turn (PostgreSQL): overhead p99 at 300 calls/s", "<= 5 ms", c and c["p99"], "ms", lambda v: v <= 5,
                 own_p99(runs, "sluice-conversation", 300 if 300 in rates else None)))
    h = own_p99(runs, "sluice-cache", 1000 if 1000 in rates else None)
    rows.append(("response cache hit: Sluice's own time p99 at 1,000 calls/s", "<= 1 ms", h, "ms", lambda v: v <= 1, h))
    m, b = own_p99(runs, "sluice-miss", 1000 if 1000 in rates else None), own_p99(runs, "sluice", 1000 if 1000 in rates else None)
    if m is None or b is None:
        added = None
    elif m < b:  # the stateless run's tail was the longer one (a collapse there), not a miss that costs nothing
        added = "no baseline (the stateless run's p99 was longer)"
    else:
        added = m - b
    rows.append(("response cache miss: own time p99 added to a call the cache skips, 1,000 calls/s", "<= 0.1 ms", added, "ms", lambda v: v <= 0.1, m))
    x2, x2c = find(runs, "sluice-x2", "0", "max"), find(runs, "sluice-x2-conversation", "0", "max")
    rows.append(("two replicas behind nginx, stateless: maximum throughput against one replica's (both on this machine's cores)", "reported",
                 x2 and sm and sm["throughput"] > 0 and 100 * x2["throughput"] / sm["throughput"], "%", lambda v: True, None))
    rows.append(("two replicas behind nginx, stored turns: maximum throughput against one replica's", "reported",
                 x2c and cm and cm["throughput"] > 0 and 100 * x2c["throughput"] / cm["throughput"], "%", lambda v: True, None))
    held = find(runs, "open-streams", "slow", "rate", None, True)
    opened = held["rate"] * held["seconds"] if held else 0
    rows.append((f"open streams at once: Sluice RSS with {opened or '-'} open ({held['errors'] if held else '-'} failed)", "10,000 in <= 1024 MB",
                 held and held["rss_mb"], "MB", lambda v: v <= 1024 and opened >= 10000 and held["errors"] == 0, None))
    md = ["## Targets", "", "| target | goal | this run | met | Sluice's own time, p99 ([Server-Timing](#sluices-own-time-server-timing)) |",
          "|---|---|---|---|---|"]
    for name, goal, value, unit, ok, inside in rows:
        md.append(f"| {name} | {goal} | {fmt(value, unit)} | {'-' if value is None or isinstance(value, str) or goal == 'reported' else ('yes' if ok(value) else '**no**')} | "
                  + ("-" if inside is None else f"{inside:.2f} ms") + " |")
    md += ["", "\"This run\" is what a client measures, minus the same figure straight to the simulator; the last column is "
           "the part of the call Sluice itself spent, measured inside it (see below)."]
    floor = [f"{ms(r['latency_us']['p99']):.2f} ms at {r['rate']:,}/s" for r in floor_runs(runs)]
    if floor:
        said = floor[0] if len(floor) == 1 else ", ".join(floor[:-1]) + " and " + floor[-1]
        md += ["", f"Each stored turn waits for a durable commit. PostgreSQL's commit of one row alone, without Sluice, had a p99 of {said} "
               "in this run ([the durable commit alone](#the-durable-commit-alone))."]
    return md + [""]


def own_time(runs, rates, stream_rates, rel, chart_dir):
    """Sluice's own time per call, from its Server-Timing header: the call's time in the gateway but the upstream's."""
    rows = [(t, sim, rate, False) for sim in ["0", "50"] for rate in rates for t in ["sluice", "sluice-cache", "sluice-miss", "sluice-conversation"]]
    rows += [("sluice", "0", rate, True) for rate in stream_rates]
    found = [(t, sim, rate, stream, find(runs, t, sim, "rate", rate, stream)) for t, sim, rate, stream in rows]
    found = [f for f in found if f[4] and f[4].get("gateway_us")]
    if not found:
        return []
    md = ["", "## Sluice's own time (Server-Timing)", "",
          "Every answer Sluice gives carries a `Server-Timing` header: `upstream` (waiting on the upstream, retries "
          "included), `store` (storing the turn and its bill, committed before the answer goes out) and `gateway` (all "
          "but the upstream, the store included), measured inside the gateway from the moment its router takes the "
          "request; a stream's header times its first chunk. The load generator records it for every call. What a "
          "client measures adds the network hop to the gateway and the time the request and its answer wait for a "
          "busy core, on this machine shared with the load generator, the simulators and PostgreSQL. The same figure is "
          "the metric `sluice_gateway_overhead_seconds`.", "", f"![own time p99]({rel}/own-time-p99.svg)", "",
          "| target | simulator | calls/s | " + " | ".join(f"own time {n} (ms)" for _, n in PCTS) + " | of which store p50 (ms) | store p99 (ms) |",
          "|---|---|---|" + "---|" * len(PCTS) + "---|---|"]
    for t, sim, rate, stream, r in found:
        g, st = r["gateway_us"], r.get("store_us")
        name = NAMES[t] + (", stream to its first chunk" if stream else "")
        md.append(f"| {name} | {sim} ms | {rate} | " + " | ".join(f"{ms(g[p]):.2f}" for p, _ in PCTS) + " | "
                  + (f"{ms(st['p50']):.2f} | {ms(st['p99']):.2f}" if st else "- | -") + " |")
    series = ["sluice", "sluice-conversation", "sluice-stream"]
    bar_chart(f"{chart_dir}/own-time-p99.svg", "Sluice's own time p99 (ms, Server-Timing), simulator at 0 ms", "ms",
              [f"{r}/s" for r in rates], series,
              lambda g, s: own_p99(runs, "sluice" if s == "sluice-stream" else s, int(g[:-2]), s == "sluice-stream"))
    return md


def commit_floor(runs):
    """PostgreSQL's own durable commit of one row a transaction at each rate (bench/commit-floor): the floor under a stored turn."""
    floor = floor_runs(runs)
    if not floor:
        return []
    md = ["## The durable commit alone", "",
          "A stored turn is answered only once its messages and bill are committed, and a stateless call once its bill is "
          "(`bench/commit-floor`): pgbench, PostgreSQL's own client, inserting one ledger-like row a transaction (a primary key "
          "and an owner index) with 4 connections at the rates below, each latency counted from its scheduled start as the load "
          "generator counts a call's. Nothing of Sluice is in it: it is this machine's disk (the WAL's fsync) and PostgreSQL "
          "on shared cores, the part of a stored turn's overhead no gateway code removes here.", "",
          "| transactions/s | ok | " + " | ".join(f"commit {n} (ms)" for _, n in PCTS) + " |", "|---|---|" + "---|" * len(PCTS)]
    for r in floor:
        md.append(f"| {r['rate']} | {r['ok']} | " + " | ".join(f"{ms(r['latency_us'][p]):.2f}" for p, _ in PCTS) + " |")
    return md + [""]


def machine_cpu(runs, maxes, rates, cores):
    """The whole machine's CPU a call, by process: what a maximum throughput on shared cores is made of."""
    rows = [(t, r) for t, r in maxes.items() if r and r.get("cpu_by_process")]
    rows += [(t, r) for t in ["sluice", "sluice-conversation"] for r in [find(runs, t, "0", "rate", 1000) if 1000 in rates else None]
             if r and r.get("cpu_by_process")]
    if not rows:
        return []
    def ms_a_call(r, pct):
        return pct * 10 / r["throughput"] if r["throughput"] > 0 else 0.0  # % of a core -> ms of a core a call
    md = ["## Where the machine's CPU went", "",
          "Every process's CPU over the measured seconds, as milliseconds of one core a call (`cpu_by_process` in the "
          f"results): the gateway (the processes sampled as the target: nginx with its workers, both replicas and nginx for two), "
          f"and everything else this {cores}-core machine ran for the same call; \"other\" holds the rest, an idle gateway among it. "
          "At maximum throughput the cores are full, so a gateway's ceiling here is set by what the load generator, the simulator "
          "and PostgreSQL take a call as much as by its own cost.", "",
          "| target | load | calls/s | gateway | PostgreSQL | load generator | simulators | other | machine busy |", "|---|---|---|---|---|---|---|---|---|"]
    own = {}
    for t, r in rows:
        by = r["cpu_by_process"]
        parts = [max(r["cpu_pct"], 0.0), by.get("postgres", 0.0), by.get("load_generator", 0.0), by.get("simulator", 0.0)]
        parts.append(max(0.0, sum(by.values()) - sum(parts)))
        load = f"{r['in_flight']} in flight" if r["mode"] == "max" else f"{r['rate']}/s"
        md.append(f"| {NAMES[t]} | {load} | {r['throughput']:.0f} | " + " | ".join(f"{ms_a_call(r, p):.3f}" for p in parts)
                  + f" | {sum(by.values()) / cores:.0f}% |")
        if r["mode"] == "max":
            own[t] = ms_a_call(r, parts[0] + parts[1])
    if own.get("sluice") and own.get("nginx"):
        md += ["", f"The gateway's CPU a call with the database's in its run: Sluice stateless {own['sluice']:.3f} ms, nginx {own['nginx']:.3f} ms "
               "(PostgreSQL's idle work only). An estimate from these, not a measurement: given cores free of the load generator and the "
               f"simulator, Sluice would serve about **{100 * own['nginx'] / own['sluice']:.0f}%** of the calls nginx serves. The same-run "
               "ratio in the targets above is higher because the load generator and the simulator take a comparable share a call "
               "whichever gateway is measured, and fill the cores either way."]
    return md


def jmh(path):
    """The JMH results (bench/jmh for one benchmark at full length), short runs: the order of magnitude per operation."""
    try:
        results = json.load(open(path)) if path else []
    except (OSError, ValueError):
        results = []
    if not results:
        return []
    md = ["", "## Micro-benchmarks (JMH)", "",
          "Short runs (1 warm-up and 2 measured iterations of 1 s, one fork) while the machine is otherwise idle; "
          "`bench/jmh <pattern>` runs one at full length. Analysis of earlier runs: [benchmarks-jmh.md](benchmarks-jmh.md).", "",
          "| benchmark | parameters | time per operation | ± (99.9%) |", "|---|---|---|---|"]
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        m = r["primaryMetric"]
        err = m.get("scoreError")
        err_text = f"{err:.3g}" if isinstance(err, (int, float)) and err == err else "-"
        md.append(f"| {name[-2]}.{name[-1]} | {params} | {m['score']:.3g} {m['scoreUnit']} | {err_text} |")
    return md


def main(results, md_path, chart_dir, machine, jmh_path=None):
    runs = load(results)
    rates = sorted({r["rate"] for r in runs if r["mode"] == "rate" and not r["stream"] and r["target"] != FLOOR})
    stream_rates = sorted({r["rate"] for r in runs if r["stream"] and r["target"] != "open-streams"})
    rel = chart_dir.split("docs/", 1)[-1]
    md = ["# Benchmarks", "",
          "Written by `bench/run` (do not edit by hand); " + datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") + ", on " + machine + ".",
          "", "Everything runs on this one machine at once: the load generator, the simulators, the gateways and PostgreSQL "
          "share its cores, so absolute figures are noisy and pessimistic; the ratios between gateways, measured in the same run "
          "at the same rates, are the headline. Overhead = a gateway's latency percentile minus the same percentile straight to "
          "the simulator at the same rate. The load is an open loop (each call's latency counts from its intended start, "
          "so no coordinated omission), recorded in HdrHistograms. What a call's time goes to, the tuning done and the "
          "experiments behind it: [performance.md](performance.md).", ""]
    md += targets(runs, rates, stream_rates)
    md += commit_floor(runs)
    md += sustained(runs)
    for sim in ["0", "50"]:
        md += [f"## Overhead, simulator at {sim} ms", ""] + [f"![overhead {name} at {sim} ms]({rel}/overhead-{p}-sim{sim}.svg)" for p, name in PCTS] + ["",
               "| target | calls/s | ok | errors | " + " | ".join(f"overhead {n} (ms)" for _, n in PCTS) + " | CPU % | RSS MB |",
               "|---|---|---|---|" + "---|" * len(PCTS) + "---|---|"]
        for rate in rates:
            d = find(runs, "direct", sim, "rate", rate)
            if d:
                md.append(f"| {NAMES['direct']} (latency) | {rate} | {d['ok']} | {d['errors']} | "
                          + " | ".join(f"{ms(d['latency_us'][p]):.2f}" if d["latency_us"] else "-" for p, _ in PCTS) + " | - | - |")
            for t in TARGETS:
                g, o = find(runs, t, sim, "rate", rate), overhead(runs, t, sim, rate)
                if g:
                    md.append(f"| {NAMES[t]} | {rate} | {g['ok']} | {g['errors']} | "
                              + " | ".join(f"{o[p]:.2f}" if o else "-" for p, _ in PCTS) + f" | {g['cpu_pct']:.0f} | {g['rss_mb']:.0f} |")
        md.append("")
        for p, name in PCTS:
            bar_chart(f"{chart_dir}/overhead-{p}-sim{sim}.svg", f"Overhead {name} (ms), simulator at {sim} ms", "ms",
                      [f"{r}/s" for r in rates], TARGETS,
                      lambda g, s: (overhead(runs, s, sim, int(g[:-2])) or {}).get(p))
    md += ["## Maximum throughput", "", f"![maximum throughput]({rel}/max-throughput.svg)", "",
           "| target | calls in flight | calls/s | errors | p50 (ms) | p99 (ms) | CPU % | RSS MB |", "|---|---|---|---|---|---|---|---|"]
    maxes = {t: find(runs, t, "0", "max") for t in ["direct"] + TARGETS}
    for t, r in maxes.items():
        if r:
            lat = r["latency_us"] or {"p50": 0, "p99": 0}
            md.append(f"| {NAMES[t]} | {r['in_flight']} | {r['throughput']:.0f} | {r['errors']} | {ms(lat['p50']):.1f} | {ms(lat['p99']):.1f} | "
                      + (f"{r['cpu_pct']:.0f} | {r['rss_mb']:.0f} |" if r["cpu_pct"] >= 0 else "- | - |"))
    bar_chart(f"{chart_dir}/max-throughput.svg", "Maximum throughput (calls/s), simulator at 0 ms", "calls/s", ["max"],
              [t for t in maxes if maxes[t]], lambda g, s: maxes[s]["throughput"])
    if maxes.get("sluice") and maxes.get("portkey") and maxes["portkey"]["throughput"] > 0:
        md += ["", f"Sluice stateless / Portkey: **{maxes['sluice']['throughput'] / maxes['portkey']['throughput']:.2f}×** the calls per second."]
    first = machine.split(" ", 1)[0]  # "2 cores, ...": the cores of the machine that ran it, not of the one writing this
    cores = int(first) if first.isdigit() else 1
    cpu = machine_cpu(runs, maxes, rates, cores)
    md += [""] + cpu if cpu else []
    md += ["", "## CPU and memory at each rate (simulator at 0 ms)", "", f"![cpu]({rel}/cpu.svg) ![rss]({rel}/rss.svg)", ""]
    bar_chart(f"{chart_dir}/cpu.svg", "Gateway CPU (% of one core)", "%", [f"{r}/s" for r in rates], TARGETS,
              lambda g, s: (find(runs, s, "0", "rate", int(g[:-2])) or {}).get("cpu_pct"))
    bar_chart(f"{chart_dir}/rss.svg", "Gateway resident memory (MB)", "MB", [f"{r}/s" for r in rates], TARGETS,
              lambda g, s: (find(runs, s, "0", "rate", int(g[:-2])) or {}).get("rss_mb"))
    md += ["## Streams: time to first chunk", "", f"![ttfc overhead]({rel}/ttfc-overhead-p99.svg)", "",
           "| target | calls/s | ok | errors | " + " | ".join(f"TTFC overhead {n} (ms)" for _, n in PCTS) + " |", "|---|---|---|---|" + "---|" * len(PCTS)]
    for rate in stream_rates:
        d = find(runs, "direct", "0", "rate", rate, True)
        if d and d["ttfc_us"]:
            md.append(f"| {NAMES['direct']} (TTFC) | {rate} | {d['ok']} | {d['errors']} | " + " | ".join(f"{ms(d['ttfc_us'][p]):.2f}" for p, _ in PCTS) + " |")
        for t in ["sluice", "portkey"]:
            g, o = find(runs, t, "0", "rate", rate, True), overhead(runs, t, "0", rate, "ttfc_us", True)
            if g:
                md.append(f"| {NAMES[t]} | {rate} | {g['ok']} | {g['errors']} | " + " | ".join(f"{o[p]:.2f}" if o else "-" for p, _ in PCTS) + " |")
    md += ["", "Portkey 1.15.2 waits 25 ms (a `setTimeout`) before it passes on the first line of an OpenAI stream; its "
           "TTFC overhead starts there. It runs with `@hono/node-server` held at 1.13.8: with the 1.19 that npm picks, "
           "every Portkey stream failed with `TypeError: immutable` (Portkey-AI/gateway issues 1389 and 1550)."]
    bar_chart(f"{chart_dir}/ttfc-overhead-p99.svg", "Time-to-first-chunk overhead p99 (ms), simulator at 0 ms", "ms",
              [f"{r}/s" for r in stream_rates], ["sluice", "portkey"],
              lambda g, s: (overhead(runs, s, "0", int(g[:-2]), "ttfc_us", True) or {}).get("p99"))
    held = find(runs, "open-streams", "slow", "rate", None, True)
    if held:
        opened = held["rate"] * held["seconds"]
        md += ["", "## Many streams open at once", "",
               f"{opened} streams opened through Sluice at {held['rate']} a second against a simulator that sends a chunk every "
               "6 s (with max_tokens 8 each stream lasts about a minute, so all were open together at the end of the ramp); "
               "Sluice's resident memory (its heap as the header says) sampled every 200 ms meanwhile. Sluice speaks HTTP/2 to that "
               "simulator (`http-version: 2`): the streams share about a hundred upstream connections (100 streams each, the "
               "simulator's HTTP/2 limit). Over HTTP/1.1 each stream needs its own upstream socket, about 20,100 file descriptors "
               "in the gateway for 10,000, more than this machine lets one process open (`ulimit -Hn` is 20,000).", "",
               "| streams | completed | errors | Sluice RSS, max (MB) | RSS per open stream (KB) | Sluice CPU % |", "|---|---|---|---|---|---|",
               f"| {opened} | {held['ok']} | {held['errors']} | {held['rss_mb']:.0f} | "
               + (f"{(held['rss_mb'] - (find(runs, 'sluice', '0', 'rate', min(rates)) or held)['rss_mb']) * 1024 / opened:.1f}" if opened else "-")
               + f" | {held['cpu_pct']:.0f} |"]
    md += [""] + ledger_scale(f"{chart_dir}/ledger-scale.json")
    md += own_time(runs, rates, stream_rates, rel, chart_dir)
    md += jmh(jmh_path)
    md += ["", "## Raw results", "", "```"] + [json.dumps(r) for r in runs] + ["```", ""]
    with open(md_path, "w") as f:
        f.write("\n".join(md))


if __name__ == "__main__":
    if sys.argv[1] == "--within":  # results target rate limit_ms: exit status 0 when within (bench/run's sustained-rate ladder)
        sys.exit(0 if within(load(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])) else 1)
    main(*sys.argv[1:6])

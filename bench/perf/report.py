"""bench/results/perf.md from perf.json: the machine, the targets met or missed, then each section."""

from __future__ import annotations

import json
from pathlib import Path


def _get(results: dict, *keys: str) -> object:
    value: object = results
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _target(name: str, value: object, goal: str, met: bool | None, note: str = "") -> str:
    shown = "not run" if value is None else f"{value}"
    verdict = "—" if met is None or value is None else ("met" if met else "missed")
    return f"| {name} | {shown} | {goal} | {verdict} | {note} |"


def targets(results: dict) -> list[str]:
    """One table row per target of issue 7."""
    eval_ratio = _get(results, "latency", "eval_hnsw", "ask_ratio_p50")
    big_ratio = _get(results, "latency", "synthetic_1m", "ask_ratio_p50")
    torch_ratio = _get(results, "latency", "eval_hnsw_torch", "ask_ratio_p50")
    build = _get(results, "build", "ratio")
    incremental = _get(results, "incremental", "ratio")
    cold = _get(results, "coldstart", "ratio")
    gain = _get(results, "load", "batching_gain_at_32")
    batched = _get(results, "load", "batched") or []
    errors32 = next((r["errors"] for r in batched if r["connections"] == 32), None)
    peer_q = _get(results, "peer", "answer_time_ratio")
    peer_i = _get(results, "peer", "index_time_ratio")
    ceiling = _get(results, "load", "embedding_batch_ceiling", "onnx", "ceiling")
    torch_ceiling = _get(results, "load", "embedding_batch_ceiling", "torch", "ceiling")
    cores = _get(results, "load", "embedding_core_arrangements", "ceiling")
    best_way = _get(results, "load", "embedding_core_arrangements", "best")
    recall = _get(results, "latency", "synthetic_1m", "recall_at_10_vs_exact")
    recall_eval = _get(results, "latency", "eval_hnsw", "recall_at_10_vs_exact")
    torch_gain = _get(results, "load", "torch_queries_32_clients", "batching_gain")
    vs_torch = _get(results, "load", "gain_at_32_vs_unbatched_torch_server")
    scale = _get(results, "load", "scale_out_nginx_32_clients", "ratio")
    memory = _get(results, "load", "memory", "mib_per_100k_passages")
    unbatched = _get(results, "load", "unbatched") or []
    at32 = [next((r for r in curve if r["connections"] == 32), {}) for curve in (batched, unbatched)]
    cpu32 = [r.get("server_cpu_ms_per_request") for r in at32]
    busy32 = [r.get("server_cores_busy") for r in at32]
    cpu_ways = _get(results, "load", "embedding_core_arrangements", "cpu_ms_per_question") or {}
    in_batches = next((v for k, v in cpu_ways.items() if "side_by_side_batches" in k), None)
    one_thread = [cpu_ways.get("one_thread_alone"), in_batches]

    def le(v: object, limit: float) -> bool | None:
        return None if v is None else float(v) <= limit

    return [
        "| target | measured | goal | verdict | note |",
        "|---|---|---|---|---|",
        _target("ask p50 / bare embedding, eval corpus", eval_ratio, "≤ 1.25", le(eval_ratio, 1.25)),
        _target("the same, questions embedded by torch", torch_ratio, "≤ 1.25", le(torch_ratio, 1.25)),
        _target("ask p50 / bare embedding, 1M passages", big_ratio, "≤ 1.5", le(big_ratio, 1.5)),
        _target("HNSW recall@10 vs exact, eval corpus", recall_eval, "≥ 0.95",
                None if recall_eval is None else recall_eval >= 0.95),
        _target("HNSW recall@10 vs exact, 1M", recall, "≥ 0.95", None if recall is None else recall >= 0.95),
        _target("build throughput / bare encoding", build, "≥ 0.9", None if build is None else build >= 0.9),
        _target("add one document / full rebuild", incremental, "≤ 0.02", le(incremental, 0.02)),
        _target("cold start / bare model load", cold, "≤ 1.3", le(cold, 1.3)),
        _target("errors at 32 clients", errors32, "0", None if errors32 is None else errors32 == 0),
        _target("throughput at 32 clients, batched / unbatched (ONNX queries)", gain, "≥ 2",
                None if gain is None else gain >= 2),
        _target("the most batching can gain on embedding: one question alone / in a batch of 16, ONNX",
                ceiling, "—", None, "bare encoder, no server"),
        _target("the same, torch", torch_ceiling, "—", None),
        _target("the most any way of embedding many questions at once can gain, ONNX: the shipped encoder "
                "alone / the best of batches and one-thread sessions side by side", cores, "—", None,
                f"best: {best_way}" if best_way else ""),
        _target("embedding CPU ms per question, ONNX: the shipped session alone / one thread alone / one-thread "
                "sessions in batches", " / ".join(str(v) for v in (cpu_ways.get("shipped_alone"), *one_thread)), "—",
                None, "what batching can save of the machine's work"),
        _target("server CPU ms per request at 32 clients, batched / unbatched (ONNX queries)",
                f"{cpu32[0]} / {cpu32[1]}", "—", None, f"cores busy {busy32[0]} / {busy32[1]}"),
        _target("throughput at 32 clients, batched / unbatched, torch queries", torch_gain, "≥ 2",
                None if torch_gain is None else torch_gain >= 2),
        _target("throughput at 32 clients, this server / unbatched torch server", vs_torch, "≥ 2",
                None if vs_torch is None else vs_torch >= 2, "ONNX queries and batching together"),
        _target("two processes / one behind nginx, 32 clients", scale, "—", None, "2 cores shared with wrk, nginx"),
        _target("server RSS MiB per 100k passages", memory, "—", None, "(eval server − seed server) scaled"),
        _target("answer time / txtai search time", peer_q, "< 1", le(peer_q, 0.999)),
        _target("index time / txtai index time", peer_i, "< 1", le(peer_i, 0.999)),
    ]


def serving_targets(results: dict) -> list[str]:
    """Rows for issue 18 (lean serving), from the section serving: after, and before when it ran."""
    memory = _get(results, "serving", "memory") or {}
    flow = _get(results, "serving", "throughput_32_clients") or {}
    rows = []
    for label in [k for k in ("before", "after") if k in memory or k in flow]:
        m, t = memory.get(label, {}), flow.get(label, {})
        for corpus in ("eval", "synthetic_1m"):
            rss = _get(m, corpus, "rss_mib_per_100k")
            anon = _get(m, corpus, "anonymous_mib_per_100k")
            rows.append(_target(f"{label}: server MiB per 100k passages, {corpus} (RSS; anonymous)",
                                None if rss is None else f"{rss}; {anon}", "≤ 300", le_limit(rss, 300),
                                "memory-mapped pages count in RSS, shared by every process on the version"))
        seed = _get(m, "seed", "rss_mib")
        rows.append(_target(f"{label}: server RSS on the seed corpus, MiB", seed, "—", None,
                            f"anonymous {_get(m, 'seed', 'anonymous_mib')}"))
        ratio = t.get("ratio_to_ceiling_median")
        rows.append(_target(f"{label}: requests/s at 32 clients / embedding-only ceiling", ratio, "≥ 0.7",
                            None if ratio is None else ratio >= 0.7,
                            f"rounds {t.get('ratio_to_ceiling_all')}, {t.get('requests_per_s_median')} requests/s, "
                            f"p99 {t.get('p99_ms_median')} ms, errors {t.get('errors')}"))
    return rows


def spread_targets(results: dict) -> list[str]:
    """Rows for the old targets measured in three rounds (section spread): min / median / max."""
    rows = []
    names = {"ask_ratio_p50_1m": ("ask p50 / bare embedding, 1M passages", "≤ 1.5"),
             "index_time_ratio_vs_txtai": ("index time / txtai index time", "< 1")}
    for key, (name, goal) in names.items():
        found = _get(results, "spread", key)
        if found and "all" in found:
            rows.append(_target(f"{name}, in every one of {len(found['all'])} rounds",
                                f"{found['min']} / {found['median']} / {found['max']}", goal,
                                found["held_in_every_round"], f"min / median / max; rounds {found['all']}"))
        elif found:
            rows.append(_target(name, None, goal, None, found.get("not_measured", "")))
    return rows


def le_limit(value: object, limit: float) -> bool | None:
    """True when `value` is at most `limit`; None when not measured."""
    return None if value is None else float(value) <= limit


def markdown(results: dict) -> str:
    """The report: machine, targets, and every section's JSON (small) for the record."""
    runs = results.get("runs", {})
    first = next(iter(runs.values()), {})
    lines = [
        "# Performance (generated by `make bench`: bench/perf/; notes from bench/perf_notes.md at the end)",
        "",
        f"Machine: {json.dumps(first.get('machine', {}))}",
        "",
        "Every figure is a ratio against a baseline measured in the same run (medians over repeats). "
        "Sections ran at: " + ", ".join(f"{k} {v['at']} ({v['seconds']} s, load after {v['load_average_after'][0]:.1f})"
                                        for k, v in runs.items()) + ".",
        "",
        "## Targets",
        "",
        *targets(results),
        "",
    ]
    if "serving" in results:
        lines += ["## Lean serving (issue 18, section serving)", "",
                  "| target | measured | goal | verdict | note |", "|---|---|---|---|---|",
                  *serving_targets(results), ""]
    if "spread" in results:
        lines += ["## The old targets in three runs (issue 18, section spread)", "",
                  "| target | measured | goal | verdict | note |", "|---|---|---|---|---|",
                  *spread_targets(results), ""]
    if results.get("errors"):
        lines += ["## Sections that failed", ""] + [f"- {k}: {v}" for k, v in results["errors"].items()] + [""]
    notes = Path(__file__).resolve().parent.parent / "perf_notes.md"
    if notes.is_file():
        lines += [notes.read_text(), ""]
    for name in ("latency", "build", "incremental", "coldstart", "load", "peer", "onnx", "serving", "spread"):
        if name in results:
            lines += [f"## {name} (raw)", "", "```json", json.dumps(results[name], indent=1), "```", ""]
    return "\n".join(lines)

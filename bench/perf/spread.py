"""The old targets in three runs (issue 18): `ask` p50 at 1M passages / the bare embedding, and
qa_bot's index time / txtai's, each measured `ROUNDS` times, with the spread and a verdict on all.

Each round measures both from scratch as their own sections do (bench/perf/latency.py on the
million-passage index version that bench/perf/scale_index.py writes once, bench/perf/peer.py on the
same 60 eval documents, two builds a side, alternating which goes first); only the million-passage
index is built once (its HNSW graph takes minutes).
"""

from __future__ import annotations

import os

from qa_bot.config import Settings
from qa_bot.embedding import Embedder
from qa_bot.index_store import read_index

from .common import median

ROUNDS = 3
TARGETS = {"ask_ratio_p50_1m": 1.5, "index_time_ratio_vs_txtai": 0.999}  # at most


def spread(values: list[float]) -> dict:
    """min, median and max of `values`, and all of them."""
    return {"min": min(values), "median": round(median(values), 3), "max": max(values), "all": values}


def old_targets(embedder: Embedder, settings: Settings, stored, documents: dict, latency_questions: list[str],
                peer_questions: list[str], rounds: int = ROUNDS) -> dict:
    """Both ratios in each of `rounds` rounds, their spread, and whether each target held in every round."""
    from .latency import latency_breakdown
    from .peer import txtai_peer
    from .scale_index import scale_index_dir

    big = read_index(scale_index_dir(stored, 1_000_000, settings))
    found: list[dict] = []
    try:
        import txtai  # noqa: F401  (installed by `make bench`)
    except ImportError:
        txtai_peer = None  # reported as not measured
    for _ in range(rounds):
        began_load = os.getloadavg()[0]
        latency = latency_breakdown(big, embedder, settings, latency_questions, repeats=2)
        peer = txtai_peer(embedder, settings, documents, peer_questions, repeats=2) if txtai_peer else {}
        found.append({
            "load_average_1min": [round(began_load, 2), round(os.getloadavg()[0], 2)],  # at start, at end
            "ask_ratio_p50_1m": latency["ask_ratio_p50"],
            "ask_p50_ms_1m": latency["ask_p50_ms"],
            "bare_embed_p50_ms": latency["bare_embed_p50_ms"],
            "bare_embed_p50_ms_by_threads": latency["bare_embed_p50_ms_by_threads"],
            "stages_p50_ms_1m": latency["stages_p50_ms"],
            "index_time_ratio_vs_txtai": peer.get("index_time_ratio"),
            "qa_bot_index_s": peer.get("qa_bot_index_s"),
            "txtai_index_s": peer.get("txtai_index_s"),
        })
    section: dict = {"rounds": found, "passages": len(big.manifest.chunks), "documents_indexed": len(documents)}
    for key, limit in TARGETS.items():
        values = [r[key] for r in found if r[key] is not None]
        if values:
            section[key] = {**spread(values), "goal_at_most": limit, "held_in_every_round": max(values) <= limit}
        else:
            section[key] = {"not_measured": "txtai is not installed (`make bench` installs it)"}
    return section

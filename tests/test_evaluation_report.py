"""The targets block of the quality report (bench/quality.py)."""

from __future__ import annotations

from bench.quality import targets


def _report(p1: float, wrong: float, ratio: float) -> dict:
    ours = {"doc_hit1": 0.9662, "mrr10": 0.9827, "passage_hit1": p1, "passage_hit3": 0.9487}
    ours |= {"wrongly_answered": wrong, "wrongly_abstained": wrong}
    return {
        "metrics": ours,
        "baselines": {"dense": {"passage_hit1": 0.5682}, "bm25": {"passage_hit1": 0.3529}},
        "latency": {"ratio_p50": ratio},
    }


def test_targets_say_which_are_met_with_the_figure_reached() -> None:
    lines = targets(_report(0.7982, 0.146, 1.171))
    assert "- doc_hit1 ≥ 0.95: 0.9662 — met" in lines
    assert "- passage_hit1 ≥ best baseline + 0.15: +0.2300 — met" in lines
    assert "- wrongly answered ≤ 5% at wrongly abstained ≤ 5%: 14.6% / 14.6% — **missed**" in lines
    assert "- latency p50 ≤ 1.5 × embedding alone: 1.171× — met" in lines


def test_a_small_gain_over_the_baseline_or_a_slow_answer_is_missed() -> None:
    lines = targets(_report(0.70, 0.04, 1.6))
    assert "- passage_hit1 ≥ best baseline + 0.15: +0.1318 — **missed**" in lines
    assert "- wrongly answered ≤ 5% at wrongly abstained ≤ 5%: 4.0% / 4.0% — met" in lines
    assert "- latency p50 ≤ 1.5 × embedding alone: 1.6× — **missed**" in lines

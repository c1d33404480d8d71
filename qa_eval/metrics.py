"""Quality metrics of ranked answers: document and passage hits, abstention errors, percentiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .data import Question

RANKING_KEYS = ("doc_hit1", "doc_hit5", "mrr10", "passage_hit1", "passage_hit3")
ABSTENTION_KEYS = ("wrongly_abstained", "wrongly_answered")


@dataclass(frozen=True)
class Ranked:
    """What a method returned for one question.

    `doc_ids`: documents in order of first appearance in the ranking; `passage_hits`: for each of
    the passages that would be quoted, whether it overlaps an answer span; `top_score`: the best score
    among the passages that would be quoted, compared with the abstention threshold (the bot
    answers when any of them reaches it).
    """

    doc_ids: tuple[str, ...]
    passage_hits: tuple[bool, ...]
    top_score: float


def ranking_metrics(questions: Sequence[Question], ranked: Sequence[Ranked]) -> dict[str, float]:
    """Mean `RANKING_KEYS` over the answerable questions (0 for each when there are none)."""
    rows = []
    for question, result in zip(questions, ranked, strict=True):
        if not question.answerable:
            continue
        relevant = set(question.relevant_doc_ids)
        first = next((i for i, d in enumerate(result.doc_ids[:10]) if d in relevant), None)
        rows.append(
            (
                first == 0,
                first is not None and first < 5,
                0.0 if first is None else 1.0 / (first + 1),
                any(result.passage_hits[:1]),
                any(result.passage_hits[:3]),
            )
        )
    means = np.mean(np.array(rows, dtype=np.float64), axis=0) if rows else np.zeros(len(RANKING_KEYS))
    return {key: round(float(v), 4) for key, v in zip(RANKING_KEYS, means, strict=True)}


def abstention_rates(questions: Sequence[Question], ranked: Sequence[Ranked], threshold: float) -> dict[str, float]:
    """Share of answerable questions refused, and of unanswerable ones answered, at `threshold`."""
    answerable = [r.top_score >= threshold for q, r in zip(questions, ranked, strict=True) if q.answerable]
    unanswerable = [r.top_score >= threshold for q, r in zip(questions, ranked, strict=True) if not q.answerable]
    return {
        "wrongly_abstained": round(1.0 - float(np.mean(answerable)), 4) if answerable else 0.0,
        "wrongly_answered": round(float(np.mean(unanswerable)), 4) if unanswerable else 0.0,
    }


def choose_threshold(questions: Sequence[Question], ranked: Sequence[Ranked]) -> float:
    """The threshold where the larger of the two abstention error rates is smallest.

    Candidates are midpoints between consecutive observed top scores; ties go to the higher
    threshold (refusing is the safer mistake).
    """
    scores = np.unique([r.top_score for r in ranked])
    if len(scores) < 2:
        return float(scores[0]) if len(scores) else 0.0
    candidates = np.concatenate([[scores[0]], (scores[1:] + scores[:-1]) / 2, [scores[-1] + 1e-6]])
    answerable = np.array([r.top_score for q, r in zip(questions, ranked, strict=True) if q.answerable])
    unanswerable = np.array([r.top_score for q, r in zip(questions, ranked, strict=True) if not q.answerable])
    worst = [
        max(
            float(np.mean(answerable < t)) if len(answerable) else 0.0,
            float(np.mean(unanswerable >= t)) if len(unanswerable) else 0.0,
        )
        for t in candidates
    ]
    best = min(worst)
    return float(max(t for t, w in zip(candidates, worst, strict=True) if w == best))


def percentiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of durations, in milliseconds."""
    values = np.array(seconds, dtype=np.float64) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 3), "p95_ms": round(float(np.percentile(values, 95)), 3)}

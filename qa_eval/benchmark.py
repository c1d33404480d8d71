"""The quality benchmark: our ranking beside BM25 alone, dense alone and plain RRF, with a
data-chosen abstention threshold and per-question latency.

Abstention is calibrated on a second index that leaves out a fixed 10% of the documents: the
questions about those documents (and everyday questions without relevant documents) must be
refused, the others answered. A question whose condition still has a page in the index under
another or a variant name (`named_alike`: "hereditary diffuse gastric cancer" for "Diffuse gastric
cancer", "Niemann-Pick disease" for "Niemann-Pick disease type A") is neither. Two other sets are
reported beside, at the thresholds chosen on the first: the same index counting such questions
as unanswerable (only pages under the same name answer), and a third index that leaves out 10% of
the *groups* of documents on one condition or its variants, so that no sibling page stays.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa_bot.config import Settings
from qa_bot.embedding import Embedder
from qa_bot.index_store import StoredIndex
from qa_bot.ranking import Ranker
from qa_bot.retrieval import Retriever

from .baselines import METHODS, Method, ordered
from .data import (
    Question,
    cached_index,
    document_groups,
    held_out_groups,
    held_out_ids,
    load_documents,
    load_namesakes,
    load_questions,
    named_alike,
    overlaps,
    split_for_abstention,
)
from .metrics import (
    ABSTENTION_KEYS,
    RANKING_KEYS,
    Ranked,
    abstention_rates,
    choose_threshold,
    percentiles_ms,
    ranking_metrics,
)

logger = logging.getLogger(__name__)

DEPTH = 50
HELD_OUT_PERCENT = 10
CALIBRATION_ANSWERABLE = 3000
LATENCY_QUESTIONS = 300
KEYS = (*RANKING_KEYS, *ABSTENTION_KEYS, "latency_p50_ms", "latency_p95_ms")


def passage_hits(stored: StoredIndex, rows: Sequence[int], question: Question) -> np.ndarray:
    """For each index row, whether its passage overlaps one of the question's answer spans."""
    chunks = stored.manifest.chunks
    return np.array(
        [
            any(overlaps(s, chunks[r].doc_id, chunks[r].start, chunks[r].end) for s in question.answer_passages)
            for r in rows
        ],
        dtype=bool,
    )


def rank_questions(
    retriever: Retriever, questions: Sequence[Question], vectors: np.ndarray, quotes: int
) -> dict[Method, list[Ranked]]:
    """Every method's ranking of every question, from one candidate search per question."""
    results: dict[Method, list[Ranked]] = {m: [] for m in METHODS}
    for question, vector in zip(questions, vectors, strict=True):
        found = retriever.gather(question.text, vector)
        for method in METHODS:
            passages = ordered(retriever, question.text, vector, found, DEPTH, method)
            hits = [
                any(overlaps(s, p.doc_id, p.start, p.end) for s in question.answer_passages) for p in passages[:quotes]
            ]
            results[method].append(
                Ranked(
                    doc_ids=tuple(dict.fromkeys(p.doc_id for p in passages)),
                    passage_hits=tuple(hits),
                    top_score=max((p.score for p in passages[:quotes]), default=0.0),
                )
            )
    return results


def calibrate(
    documents: dict, questions: list[Question], cache_dir: Path, embedder: Embedder, settings: Settings,
    held_out: frozenset[str], namesakes: dict[str, frozenset[str]],
) -> tuple[list[Question], dict[Method, list[Ranked]], dict[str, int]]:
    """The calibration questions, every method's ranking of them on an index without the `held_out`
    documents, and counts: the questions about those documents (and everyday ones) must be refused."""
    kept = {d: doc for d, doc in documents.items() if d not in held_out}
    stored = cached_index(kept, cache_dir, embedder, settings)
    answerable, unanswerable = split_for_abstention([q for q in questions if q.answerable], held_out, namesakes)
    answerable = random.Random(0).sample(answerable, min(CALIBRATION_ANSWERABLE, len(answerable)))
    calibration = answerable + unanswerable + [q for q in questions if not q.answerable]
    retriever = Retriever(stored, settings.candidates, Ranker(stored, embedder, settings))
    ranked = rank_questions(retriever, calibration, embedder.encode([q.text for q in calibration]), settings.max_quotes)
    sizes = {
        "held_out_documents": len(held_out),
        "answerable": len(answerable),
        "unanswerable_held_out": len(unanswerable),
        "unanswerable_everyday": sum(not q.answerable for q in questions),
    }
    return calibration, ranked, sizes


def threshold_report(
    stored: StoredIndex, questions: Sequence[Question], embedder: Embedder, settings: Settings
) -> dict:
    """Our abstention threshold chosen on `questions` over `stored`, and both error rates there and at
    the configured `min_relevance`."""
    retriever = Retriever(stored, settings.candidates, Ranker(stored, embedder, settings))
    vectors = embedder.encode([q.text for q in questions])
    ranked = rank_questions(retriever, questions, vectors, settings.max_quotes)["hybrid"]
    chosen = choose_threshold(questions, ranked)
    return {
        "chosen_threshold": round(chosen, 4),
        "at_chosen": abstention_rates(questions, ranked, chosen),
        "configured_min_relevance": settings.min_relevance,
        "at_configured": abstention_rates(questions, ranked, settings.min_relevance),
        "answerable": sum(q.answerable for q in questions),
        "unanswerable": sum(not q.answerable for q in questions),
    }


def _other_split(
    questions: list[Question],
    ranked: dict[Method, list[Ranked]],
    sizes: dict[str, int],
    thresholds: dict[Method, float],
) -> dict:
    """Every method's abstention rates on another calibration set, at `thresholds` and at its own best."""
    own = {m: choose_threshold(questions, ranked[m]) for m in METHODS}
    return {
        "at_chosen_threshold": {m: abstention_rates(questions, ranked[m], thresholds[m]) for m in METHODS},
        "own_threshold": {m: round(t, 4) for m, t in own.items()},
        "at_own_threshold": {m: abstention_rates(questions, ranked[m], own[m]) for m in METHODS},
        "calibration_questions": sizes,
    }


def latency(
    retriever: Retriever, embedder: Embedder, questions: Sequence[Question], method: Method, quotes: int
) -> dict:
    """Milliseconds to embed and rank one question, alone, for a fixed sample of questions."""
    sample = random.Random(1).sample(list(questions), min(LATENCY_QUESTIONS, len(questions)))
    embed_only, total = [], []
    for question in sample:
        began = time.perf_counter()
        vector = embedder.encode([question.text])[0]
        embedded = time.perf_counter()
        ordered(retriever, question.text, vector, retriever.gather(question.text, vector), quotes, method)
        total.append(time.perf_counter() - began)
        embed_only.append(embedded - began)
    return {"embed": percentiles_ms(embed_only), "total": percentiles_ms(total)}


def abstention_summary(
    thresholds: dict[Method, float], settings: Settings, ours_at_configured: dict[str, float], sizes: dict[str, int]
) -> dict:
    """The report's `abstention` block: each method's chosen threshold, ours at the configured one."""
    return {
        "chosen_threshold": {m: round(t, 4) for m, t in thresholds.items()},
        "configured_min_relevance": settings.min_relevance,
        "ours_at_configured": ours_at_configured,
        "calibration_questions": sizes,
    }


def compare(
    retriever: Retriever,
    embedder: Embedder,
    questions: Sequence[Question],
    ranked: dict[Method, list[Ranked]],
    abstention: dict[Method, dict[str, float]],
    quotes: int,
    keys: Sequence[str] = KEYS,
) -> dict:
    """The report's `metrics` (ours), `baselines` and `latency`: each method's `keys` of its ranking
    metrics on `questions`, its `abstention` rates and its latency."""
    figures: dict[Method, dict] = {}
    timings: dict[Method, dict] = {}
    for method in METHODS:
        timings[method] = latency(retriever, embedder, questions, method, quotes)
        row = {
            **ranking_metrics(questions, ranked[method]),
            **abstention[method],
            "latency_p50_ms": timings[method]["total"]["p50_ms"],
            "latency_p95_ms": timings[method]["total"]["p95_ms"],
        }
        figures[method] = {k: row[k] for k in keys}
    ours = timings["hybrid"]
    return {
        "metrics": figures["hybrid"],
        "baselines": {m: figures[m] for m in METHODS if m != "hybrid"},
        "latency": {
            "embed_p50_ms": ours["embed"]["p50_ms"],
            "total_p50_ms": ours["total"]["p50_ms"],
            "ratio_p50": round(ours["total"]["p50_ms"] / ours["embed"]["p50_ms"], 3),
            "questions_timed": min(LATENCY_QUESTIONS, len(questions)),
        },
    }


def evaluate(
    question_files: Sequence[Path], docs_file: Path, cache_dir: Path, embedder: Embedder, settings: Settings
) -> dict:
    """Run the benchmark; the report's `metrics` and each of `baselines` have the keys `KEYS`."""
    documents = load_documents(docs_file)
    questions = [q for path in question_files for q in load_questions(path)]
    namesakes = load_namesakes(docs_file)
    alike = named_alike(documents, namesakes)
    held_out = held_out_ids(documents, HELD_OUT_PERCENT)
    calibration, calibrated, sizes = calibrate(documents, questions, cache_dir, embedder, settings, held_out, alike)
    thresholds = {m: choose_threshold(calibration, calibrated[m]) for m in METHODS}
    # Stricter: a question counts as unanswerable even when a page on a variant of its condition stays.
    strict = calibrate(documents, questions, cache_dir, embedder, settings, held_out, namesakes)
    # Whole groups of documents on one condition left out, so no sibling page or variant of a
    # left-out condition stays in the index.
    groups = held_out_groups(document_groups(documents, questions, namesakes), HELD_OUT_PERCENT)
    grouped = calibrate(documents, questions, cache_dir, embedder, settings, groups, alike)

    stored = cached_index(documents, cache_dir, embedder, settings)
    retriever = Retriever(stored, settings.candidates, Ranker(stored, embedder, settings))
    began = time.perf_counter()
    ranked = rank_questions(retriever, questions, embedder.encode([q.text for q in questions]), settings.max_quotes)
    seconds = time.perf_counter() - began
    logger.info("ranked %d questions by %d methods in %.0f s", len(questions), len(METHODS), seconds)

    abstention = {m: abstention_rates(calibration, calibrated[m], thresholds[m]) for m in METHODS}
    compared = compare(retriever, embedder, questions, ranked, abstention, settings.max_quotes)
    return {
        "metrics": compared["metrics"],
        "baselines": compared["baselines"],
        "abstention": {
            **abstention_summary(thresholds, settings, abstention_rates(calibration, calibrated["hybrid"],
                                                                        settings.min_relevance), sizes),
            "held_out_documents_percent": HELD_OUT_PERCENT,
        },
        "abstention_namesakes_only": _other_split(*strict, thresholds),
        "abstention_groups": _other_split(*grouped, thresholds),
        "latency": compared["latency"],
        "data": {
            "question_files": [str(p) for p in question_files],
            "docs_file": str(docs_file),
            "documents": len(documents),
            "passages": len(stored.manifest.chunks),
            "questions": len(questions),
            "answerable_questions": sum(q.answerable for q in questions),
        },
    }


def format_table(report: dict) -> str:
    """The report as a Markdown table: ours, then each baseline, with the keys the report has."""
    rows = {"ours (hybrid + final ranker)": report["metrics"], **report["baselines"]}
    keys = list(report["metrics"])
    lines = ["| method | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(f"{figures[k]:g}" for k in keys) + " |" for name, figures in rows.items()]
    return "\n".join(lines)

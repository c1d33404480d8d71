"""Fit the final ranker's weights (WEIGHTS in qa_bot/ranking.py) on a random sample of dev questions.

    .venv/bin/python bench/fit_ranker.py [../shared/eval] [--sample 3000] [--seed 0]
    .venv/bin/python bench/fit_ranker.py [../shared/eval] --confidence

A listwise fit (`qa_bot.evaluation.fit_listwise`): for each question, the softmax of a linear
score over its candidate passages should put its mass on the passages that overlap an answer span.
Prints the weights to paste into qa_bot/ranking.py, and the ranking figures of the shipped and of
the new weights on the questions *outside* the sample (held out) and on all questions.

`--confidence` fits CONFIDENCE_WEIGHTS and CONFIDENCE_BIAS instead: a logistic regression over the
top answer's `CONFIDENCE_FEATURES`, on an index that leaves out the documents of
`held_out_ids(..., 10, offset=CONFIDENCE_SPLIT)`; answerable questions are those untouched by
leaving them out, unanswerable ones those whose documents are all left out (plus the everyday
questions). `qa-bot eval` calibrates and measures on the disjoint split at offset 0.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from qa_bot.config import PROJECT_ROOT, Settings
from qa_bot.embedding import shared_embedder
from qa_bot.eval_data import Question, cached_index, held_out_ids, load_documents, load_questions, split_for_abstention
from qa_bot.evaluation import HELD_OUT_PERCENT, fit_listwise, passage_hits
from qa_bot.metrics import Ranked, abstention_rates, choose_threshold, ranking_metrics
from qa_bot.ranking import CONFIDENCE_FEATURES, FEATURES, WEIGHTS, Ranker
from qa_bot.retrieval import Retriever


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=PROJECT_ROOT.parent / "shared" / "eval")
    parser.add_argument("--sample", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--confidence", action="store_true", help="fit the abstention confidence instead")
    args = parser.parse_args()
    if not (args.eval_dir / "docs.jsonl").is_file():
        print(f"fit_ranker: {args.eval_dir}/docs.jsonl not found; give the eval folder.", file=sys.stderr)
        return 2
    settings = Settings()
    embedder = shared_embedder(settings.model)
    documents = load_documents(args.eval_dir / "docs.jsonl")
    if args.confidence:
        return fit_confidence(args.eval_dir, documents, embedder, settings)
    stored = cached_index(documents, PROJECT_ROOT / "bench" / "cache", embedder, settings)
    questions = [q for q in load_questions(args.eval_dir / "questions_dev.jsonl") if q.answerable]
    ranker = Ranker(stored, embedder)
    retriever = Retriever(stored, settings.candidates, ranker)
    vectors = embedder.encode([q.text for q in questions])
    features, labels, rows = [], [], []
    for question, vector in zip(questions, vectors, strict=True):
        found = retriever.gather(question.text, vector)
        features.append(ranker.features(question.text, vector, found))
        labels.append(passage_hits(stored, found.rows, question))
        rows.append(found.rows)
    order = list(range(len(questions)))
    random.Random(args.seed).shuffle(order)
    sample, rest = sorted(order[: args.sample]), sorted(order[args.sample :])
    weights = fit_listwise([features[i] for i in sample], [labels[i] for i in sample])

    def figures(w: np.ndarray, which: list[int]) -> dict[str, float]:
        ranked = [_ranked(ranker, questions[i], features[i] @ w, rows[i], labels[i]) for i in which]
        return ranking_metrics([questions[i] for i in which], ranked)

    everyone = list(range(len(questions)))
    for name, w in (("shipped", WEIGHTS), ("fitted", weights)):
        print(f"{name:8s} held out ({len(rest)}): {figures(w, rest)}")
        print(f"{name:8s} all ({len(everyone)}): {figures(w, everyone)}")
    print("FEATURES =", FEATURES)
    print(f"WEIGHTS = np.array({[round(float(w), 2) for w in weights]}, dtype=np.float32)")
    return 0


CONFIDENCE_SPLIT = 10


def fit_confidence(eval_dir: Path, documents: dict, embedder: object, settings: Settings) -> int:
    """Fit the abstention confidence on the split at CONFIDENCE_SPLIT; print its weights and errors."""
    held_out = held_out_ids(documents, HELD_OUT_PERCENT, offset=CONFIDENCE_SPLIT)
    kept = {d: doc for d, doc in documents.items() if d not in held_out}
    stored = cached_index(kept, PROJECT_ROOT / "bench" / "cache", embedder, settings)
    answerable, unanswerable = split_for_abstention(
        [q for q in load_questions(eval_dir / "questions_dev.jsonl") if q.answerable], held_out
    )
    questions = answerable + unanswerable + load_questions(PROJECT_ROOT / "bench" / "everyday_questions.jsonl")
    ranker = Ranker(stored, embedder)
    retriever = Retriever(stored, settings.candidates, ranker)
    rows = []
    for question, vector in zip(questions, embedder.encode([q.text for q in questions]), strict=True):
        found = retriever.gather(question.text, vector)
        top = int(np.argmax(ranker.features(question.text, vector, found) @ WEIGHTS))
        rows.append(ranker.confidence_features(question.text, vector, found)[top])
    labels = np.array([q.answerable for q in questions])
    model = LogisticRegression(C=10, max_iter=5000).fit(np.array(rows), labels)
    weights, bias = model.coef_[0], float(model.intercept_[0])
    scores = 1.0 / (1.0 + np.exp(-(np.array(rows) @ weights + bias)))
    ranked = [Ranked((), (), float(s)) for s in scores]
    threshold = choose_threshold(questions, ranked)
    print(f"{len(answerable)} answerable, {len(unanswerable)} about left-out documents, {(~labels).sum()} unanswerable")
    print(f"on this split, threshold {threshold:.4f}: {abstention_rates(questions, ranked, threshold)}")
    print("CONFIDENCE_FEATURES =", CONFIDENCE_FEATURES)
    print(f"CONFIDENCE_WEIGHTS = np.array({[round(float(w), 2) for w in weights]}, dtype=np.float32)")
    print(f"CONFIDENCE_BIAS = {bias:.2f}")
    return 0


def _ranked(ranker: Ranker, question: Question, scores: np.ndarray, rows: np.ndarray, hits: np.ndarray) -> Ranked:
    """What `Ranker.rank` would return for these scores: identical passage texts kept once."""
    kept, seen = [], set()
    for i in np.argsort(-scores, kind="stable"):
        text = ranker._texts[rows[i]]
        if text not in seen:
            seen.add(text)
            kept.append(i)
    docs = [ranker.stored.manifest.chunks[rows[i]].doc_id for i in kept]
    return Ranked(tuple(dict.fromkeys(docs)), tuple(bool(hits[i]) for i in kept[:3]), 0.0)


if __name__ == "__main__":
    sys.exit(main())

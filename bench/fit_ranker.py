"""Fit the final ranker's weights (WEIGHTS in qa_bot/ranking.py) on a random sample of dev questions.

    .venv/bin/python bench/fit_ranker.py [../shared/eval] [--sample 3000] [--seed 0]
    .venv/bin/python bench/fit_ranker.py [../shared/eval] --confidence

A listwise fit (`qa_eval.fit.fit_listwise`): for each question, the softmax of a linear
score over its candidate passages should put its mass on the passages that overlap an answer span.
Prints the weights to paste into qa_bot/ranking.py, and the ranking figures of the shipped and of
the new weights on the questions *outside* the sample (held out) and on all questions.

`--confidence` measures an abstention confidence that the product does *not* use (see
bench/quality_notes.md): a logistic regression over the top answer's cosine, its document's margin
over the best other document, its coverage and its document's coverage, fitted on an index that
leaves out the documents of `held_out_ids(..., 10, offset=10)`, then measured beside the top
cosine on the benchmark's split (offset 0), on whole groups left out (`held_out_groups`), on the
seed corpus and on patient-worded questions about MedQuAD conditions
(bench/patient_questions_medquad.jsonl).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from qa_bot.config import PROJECT_ROOT, Settings
from qa_bot.documents import load_corpus
from qa_bot.embedding import Embedder, shared_embedder
from qa_bot.ranking import FEATURES, QUESTION_WEIGHTS, Ranker
from qa_bot.retrieval import Retriever
from qa_eval.benchmark import HELD_OUT_PERCENT, passage_hits
from qa_eval.data import (
    Question,
    cached_index,
    document_groups,
    held_out_groups,
    held_out_ids,
    load_documents,
    load_namesakes,
    load_questions,
    split_for_abstention,
)
from qa_eval.fit import fit_listwise
from qa_eval.metrics import Ranked, abstention_rates, choose_threshold, ranking_metrics


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
    ranker = Ranker(stored, embedder, settings)
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
    for name, w in (("shipped", QUESTION_WEIGHTS), ("fitted", weights)):
        print(f"{name:8s} held out ({len(rest)}): {figures(w, rest)}")
        print(f"{name:8s} all ({len(everyone)}): {figures(w, everyone)}")
    print("FEATURES =", FEATURES)
    print(f"WEIGHTS = np.array({[round(float(w), 2) for w in weights]}, dtype=np.float32)")
    return 0


CONFIDENCE_SIGNALS = ("dense", "margin", "coverage", "doc_coverage")


def confidence_signals(
    ranker: Ranker, retriever: Retriever, questions: list[Question], embedder: Embedder
) -> np.ndarray:
    """`CONFIDENCE_SIGNALS` of each question's top answer (the final ranker's first passage)."""
    rows = []
    for question, vector in zip(questions, embedder.encode([q.text for q in questions]), strict=True):
        found = retriever.gather(question.text, vector)
        features = ranker.features(question.text, vector, found)
        top = int(np.argmax(features @ QUESTION_WEIGHTS))
        dense, coverage, doc_dense, doc_coverage = features[top, :4]
        docs = ranker._doc_of_row[found.rows]
        others = docs != docs[top]
        margin = doc_dense - (float(found.dense[others].max()) if others.any() else 0.0)
        rows.append((dense, margin, coverage, doc_coverage))
    return np.array(rows, dtype=np.float64)


def fit_confidence(eval_dir: Path, documents: dict, embedder: Embedder, settings: Settings) -> int:
    """Fit the confidence on one held-out split and print both scores' error rates on the others."""
    dev = load_questions(eval_dir / "questions_dev.jsonl")
    everyday = load_questions(PROJECT_ROOT / "bench" / "everyday_questions.jsonl")
    cache = PROJECT_ROOT / "bench" / "cache"
    namesakes = load_namesakes(eval_dir / "docs.jsonl")

    def split(held_out: frozenset[str]) -> tuple[list[Question], np.ndarray]:
        kept = {d: doc for d, doc in documents.items() if d not in held_out}
        stored = cached_index(kept, cache, embedder, settings)
        answerable, unanswerable = split_for_abstention([q for q in dev if q.answerable], held_out, namesakes)
        questions = answerable + unanswerable + everyday
        ranker = Ranker(stored, embedder, settings)
        retriever = Retriever(stored, settings.candidates, ranker)
        return questions, confidence_signals(ranker, retriever, questions, embedder)

    def on(stored: object, path: Path) -> tuple[list[Question], np.ndarray]:
        questions = load_questions(path)
        ranker = Ranker(stored, embedder, settings)
        retriever = Retriever(stored, settings.candidates, ranker)
        return questions, confidence_signals(ranker, retriever, questions, embedder)

    fit_questions, fit_signals = split(held_out_ids(documents, HELD_OUT_PERCENT, offset=10))
    labels = np.array([q.answerable for q in fit_questions])
    model = LogisticRegression(C=10, max_iter=5000).fit(fit_signals, labels)
    scores = {
        "confidence": lambda x: model.predict_proba(x)[:, 1],
        "top cosine": lambda x: x[:, 0],
    }
    sets = {
        "fitting split (offset 10)": (fit_questions, fit_signals),
        "benchmark split (offset 0)": split(held_out_ids(documents, HELD_OUT_PERCENT)),
        "groups left out": split(held_out_groups(document_groups(documents, dev, namesakes), HELD_OUT_PERCENT)),
        "seed corpus": on(cached_index(load_corpus(PROJECT_ROOT / "corpus"), cache, embedder, settings),
                          PROJECT_ROOT / "bench" / "seed_questions.jsonl"),
        "patients on MedQuAD": on(cached_index(documents, cache, embedder, settings),
                                  PROJECT_ROOT / "bench" / "patient_questions_medquad.jsonl"),
    }
    weights = ", ".join(f"{n} {w:.2f}" for n, w in zip(CONFIDENCE_SIGNALS, model.coef_[0], strict=True))
    print(f"confidence weights: {weights}, bias {model.intercept_[0]:.2f}")
    print("wrongly abstained / wrongly answered:")
    for name, score in scores.items():
        questions, signals = sets["fitting split (offset 10)"]
        chosen = choose_threshold(questions, [Ranked((), (), float(s)) for s in score(signals)])
        questions, signals = sets["seed corpus"]
        seed = choose_threshold(questions, [Ranked((), (), float(s)) for s in score(signals)])
        print(f"{name}: threshold chosen on the fitting split {chosen:.4f}, on the seed corpus {seed:.4f}")
        for label, (questions, signals) in sets.items():
            ranked = [Ranked((), (), float(s)) for s in score(signals)]
            own = choose_threshold(questions, ranked) if not all(q.answerable for q in questions) else chosen
            print(
                f"  {label}: at the fitting split's threshold {_rates(questions, ranked, chosen)}; "
                f"at the seed's {_rates(questions, ranked, seed)}; "
                f"at its own {own:.4f} {_rates(questions, ranked, own)}"
            )
    return 0


def _rates(questions: list[Question], ranked: list[Ranked], threshold: float) -> str:
    rates = abstention_rates(questions, ranked, threshold)
    return f"{rates['wrongly_abstained']:.1%} / {rates['wrongly_answered']:.1%}"


def _ranked(ranker: Ranker, question: Question, scores: np.ndarray, rows: np.ndarray, hits: np.ndarray) -> Ranked:
    """What `Ranker.rank` would return for these scores: identical passage texts kept once, passages
    about another variant than the question names last."""
    kept, seen = [], set()
    for i in np.lexsort((-scores, ranker._other_variant(question.text, ranker._doc_of_row[rows]))):
        text = int(ranker._text_of_row[rows[i]])
        if text not in seen:
            seen.add(text)
            kept.append(i)
    docs = [ranker.stored.manifest.chunks[rows[i]].doc_id for i in kept]
    return Ranked(tuple(dict.fromkeys(docs)), tuple(bool(hits[i]) for i in kept[:3]), 0.0)


if __name__ == "__main__":
    sys.exit(main())

"""Fit the final ranker's weights (WEIGHTS and BIAS in qa_bot/ranking.py) on a sample of dev questions.

    .venv/bin/python bench/fit_ranker.py [../shared/eval] [--sample 1500]

A logistic regression over the ranker's generic signals of each candidate passage, labelled by
whether the passage overlaps an answer span. Prints the weights to paste into qa_bot/ranking.py.
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
from qa_bot.eval_data import cached_index, load_documents, load_questions
from qa_bot.evaluation import passage_hits
from qa_bot.ranking import FEATURES, Ranker
from qa_bot.retrieval import Retriever


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=PROJECT_ROOT.parent / "shared" / "eval")
    parser.add_argument("--sample", type=int, default=1500)
    args = parser.parse_args()
    if not (args.eval_dir / "docs.jsonl").is_file():
        print(f"fit_ranker: {args.eval_dir}/docs.jsonl not found; give the eval folder.", file=sys.stderr)
        return 2
    settings = Settings()
    embedder = shared_embedder(settings.model)
    documents = load_documents(args.eval_dir / "docs.jsonl")
    stored = cached_index(documents, PROJECT_ROOT / "bench" / "cache", embedder, settings)
    questions = random.Random(0).sample(load_questions(args.eval_dir / "questions_dev.jsonl"), args.sample)
    ranker = Ranker(stored, embedder)
    retriever = Retriever(stored, settings.candidates, ranker)
    vectors = embedder.encode([q.text for q in questions])
    features, labels = [], []
    for question, vector in zip(questions, vectors, strict=True):
        found = retriever.gather(question.text, vector)
        features.append(ranker.features(question.text, vector, found))
        labels.append(passage_hits(stored, found.rows, question))
    model = LogisticRegression(C=10, max_iter=5000).fit(np.concatenate(features), np.concatenate(labels))
    print("FEATURES =", FEATURES)
    print(f"WEIGHTS = np.array({[round(float(w), 2) for w in model.coef_[0]]}, dtype=np.float32)")
    print(f"BIAS = {float(model.intercept_[0]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

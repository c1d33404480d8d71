"""`qa-bot eval` on a corpus folder: questions that name the documents answering them, no answer spans.

What such questions measure is document-level: whether a right document comes first (doc_hit1),
among the first five (doc_hit5), its reciprocal rank (mrr10), and the abstention errors at the
relevance threshold chosen on these same questions (those naming no document must be refused).
Passage hits need answer spans, and the held-out abstention splits need docs.jsonl's synonyms and
enough documents to leave some out: the report lists what is absent under `absent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from qa_bot.config import Settings
from qa_bot.documents import load_corpus
from qa_bot.embedding import Embedder
from qa_bot.errors import InvalidDocument
from qa_bot.ranking import Ranker
from qa_bot.retrieval import Retriever

from .baselines import METHODS
from .benchmark import abstention_summary, compare, rank_questions
from .data import cached_index, load_questions
from .metrics import ABSTENTION_KEYS, abstention_rates, choose_threshold

DOCUMENT_KEYS = ("doc_hit1", "doc_hit5", "mrr10", *ABSTENTION_KEYS, "latency_p50_ms", "latency_p95_ms")
ABSENT = {
    "passage_hit1": "needs answer spans (answer_passages) in the questions",
    "passage_hit3": "needs answer spans (answer_passages) in the questions",
    "abstention_namesakes_only": "needs a docs.jsonl with synonyms (the full benchmark)",
    "abstention_groups": "needs a docs.jsonl with synonyms (the full benchmark)",
}


def evaluate_corpus(
    question_files: Sequence[Path], corpus_dir: Path, cache_dir: Path, embedder: Embedder, settings: Settings
) -> dict:
    """The document-level report on the documents of `corpus_dir`: `metrics` and each of `baselines`
    have the keys `DOCUMENT_KEYS`, abstention rates at each method's threshold chosen on the questions."""
    documents = load_corpus(corpus_dir)
    questions = [q for path in question_files for q in load_questions(path)]
    if not questions:
        raise InvalidDocument(f"no questions in {', '.join(map(str, question_files))}; write one JSON object a line.")
    unknown = sorted({d for q in questions for d in q.relevant_doc_ids} - set(documents))
    if unknown:
        raise InvalidDocument(
            f"the questions name documents that are not in {corpus_dir}: {', '.join(unknown[:5])}; "
            "use the ids of the documents' front matter (`qa-bot list`)."
        )
    stored = cached_index(documents, cache_dir, embedder, settings)
    retriever = Retriever(stored, settings.candidates, Ranker(stored, embedder, settings))
    ranked = rank_questions(retriever, questions, embedder.encode([q.text for q in questions]), settings.max_quotes)
    thresholds = {m: choose_threshold(questions, ranked[m]) for m in METHODS}
    abstention = {m: abstention_rates(questions, ranked[m], thresholds[m]) for m in METHODS}
    compared = compare(retriever, embedder, questions, ranked, abstention, settings.max_quotes, DOCUMENT_KEYS)
    answerable = sum(q.answerable for q in questions)
    return {
        "metrics": compared["metrics"],
        "baselines": compared["baselines"],
        "abstention": abstention_summary(
            thresholds, settings, abstention_rates(questions, ranked["hybrid"], settings.min_relevance),
            {"answerable": answerable, "unanswerable": len(questions) - answerable},
        ),
        "latency": compared["latency"],
        "data": {
            "question_files": [str(p) for p in question_files],
            "corpus_dir": str(corpus_dir),
            "documents": len(documents),
            "passages": len(stored.manifest.chunks),
            "questions": len(questions),
            "answerable_questions": answerable,
        },
        "absent": ABSENT,
    }

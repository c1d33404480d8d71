"""How well messages are read (`QABot.read_message`) against annotations, and retrieval for messages.

Agreement counts a message when the focus found (as typed, or as the corpus names it) equals one of
its annotated foci (an annotation "A/B" or "A, B" names two) after normalising (`same_name`), and
when the kind found for its first question is one of its annotated kinds. The normalisations, all
general: case; word forms and possessives (`focus.name_key`: stemmed terms, so "Kartagener's
syndromes" is "kartagener syndrome"); word order and stop words ("cancer of the breast" is "breast
cancer"); the generic last word of a name, "disease", "syndrome" or "disorder", when something is
left without it ("Cushing" is "Cushing's syndrome", "Graves" is "Graves disease"); and small
misspellings (difflib ratio at least `SAME_SPELLING` on the sorted terms).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.documents import load_corpus
from qa_bot.embedding import Embedder
from qa_bot.focus import name_key

from .data import Question, cached_index, load_documents, load_questions

SAME_SPELLING = 0.85


def same_name(found: str, annotated: str) -> bool:
    """Whether two names are equal after case, word forms (`focus.name_key`) and small misspellings."""
    ours, theirs = _without_generic(name_key(found)), _without_generic(name_key(annotated))
    if not ours or not theirs:
        return False
    if ours == theirs:
        return True
    a, b = " ".join(sorted(ours)), " ".join(sorted(theirs))
    return difflib.SequenceMatcher(None, a, b).ratio() >= SAME_SPELLING


GENERIC_NAME_TERMS = name_key("disease syndrome disorder")


def _without_generic(key: frozenset[str]) -> frozenset[str]:
    return key - GENERIC_NAME_TERMS or key


def _names(annotation: str) -> list[str]:
    return [part for part in re.split(r"/|,", annotation) if part.strip()]


def agreement(bot: QABot, questions: Sequence[Question]) -> dict:
    """Share of annotated questions whose focus and kind the bot finds as annotated."""
    annotated = [q for q in questions if q.annotations]
    focus_ok = kind_ok = 0
    for q in annotated:
        first = bot.read_message(q.text, q.subject)[0]
        names = [n for focus, _ in q.annotations for n in _names(focus)]
        found = (first.focus.text, first.focus.name) if first.focus else ()
        focus_ok += any(same_name(f, n) for f in found for n in names)
        kind_ok += first.kind in {kind for _, kind in q.annotations}
    count = len(annotated)
    return {"annotated": count, "focus_agreement": round(focus_ok / count, 3) if count else None,
            "kind_agreement": round(kind_ok / count, 3) if count else None}


def message_retrieval(bot: QABot, questions: Sequence[Question], depth: int = 20) -> dict:
    """For answerable questions: a relevant document first / in the top 5 of `bot.search`, the text
    alone and with its subject line; the ids of those missed first (text alone)."""
    answerable = [q for q in questions if q.answerable]
    report: dict = {"questions": len(answerable)}
    missed = []
    for mode in ("as_typed", "with_subject"):
        first = top5 = 0
        for q in answerable:
            hits = bot.search(q.text, depth, subject=q.subject if mode == "with_subject" else "").hits
            docs = list(dict.fromkeys(h.doc_id for h in hits))
            rank = next((i for i, d in enumerate(docs) if d in q.relevant_doc_ids), None)
            first += rank == 0
            top5 += rank is not None and rank < 5
            if rank != 0 and mode == "as_typed":
                missed.append(q.qid)
        count = max(len(answerable), 1)
        report[mode] = {"first": round(first / count, 3), "top5": round(top5 / count, 3)}
    report["missed_first"] = missed
    return report


def analysis_report(
    question_files: Sequence[Path], docs: Path, cache_dir: Path, embedder: Embedder, settings: Settings
) -> dict | None:
    """`agreement` and `message_retrieval` for the questions of `question_files` that carry
    annotations or a subject line, by the bot over `docs` (a corpus folder or a docs.jsonl); None
    when no question does."""
    questions = [q for path in question_files for q in load_questions(path) if q.annotations or q.subject]
    if not questions:
        return None
    documents = load_corpus(docs) if docs.is_dir() else load_documents(docs)
    bot = QABot(settings, embedder, cached_index(documents, cache_dir, embedder, settings))
    return {"messages": len(questions), **agreement(bot, questions), "retrieval": message_retrieval(bot, questions)}


def summary(report: dict) -> str:
    """One line of `analysis_report`'s figures, as `qa-bot eval` prints it."""
    retrieved = report["retrieval"]

    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.1%}"

    return (
        f"messages with annotations or a subject: {report['messages']}; focus as annotated "
        f"{share(report['focus_agreement'])}, kind of question {share(report['kind_agreement'])} "
        f"(of {report['annotated']} annotated); relevant document first {share(retrieved['as_typed']['first'])} "
        f"as typed, {share(retrieved['with_subject']['first'])} with the subject ({retrieved['questions']} answerable)"
    )

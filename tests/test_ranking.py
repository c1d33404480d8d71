"""The final order quotes each passage text once, whichever documents repeat it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from qa_bot import QABot, Settings
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index, passage_text

from .staff_corpus import write_document


def test_a_passage_repeated_in_two_documents_is_quoted_once(
    tmp_path: Path, seed_settings: Settings, embedder: Embedder
) -> None:
    shared = "Physical therapy can help people with balance problems stay steady on their feet."
    (tmp_path / "corpus").mkdir()
    for doc_id in ("ataxia", "vertigo"):
        write_document(tmp_path / "corpus", doc_id, doc_id.title(), f"https://example.org/{doc_id}",
               f"{doc_id.title()} is a condition.\n\n{shared}\n")
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    passages = QABot.load(settings, embedder).search("Can physical therapy help my balance?", limit=3)
    assert [p.text for p in passages].count(shared) == 1
    assert len({p.text for p in passages}) == len(passages) == 3


def test_a_passages_score_is_the_mean_of_its_cosine_and_its_titles(bot: QABot, embedder: Embedder) -> None:
    question = "Can cerebellar atrophy be inherited?"
    (passage,) = bot.search(question, limit=1)
    document = bot.stored.documents[passage.doc_id]
    chunk = next(c for c in bot.stored.manifest.chunks if (c.doc_id, c.start) == (passage.doc_id, passage.start))
    q, text, title = embedder.encode([question, passage_text(document, chunk), document.title])
    assert bot.settings.title_weight == 0.5
    assert abs(passage.score - (0.5 * float(q @ text) + 0.5 * float(q @ title))) < 1e-4

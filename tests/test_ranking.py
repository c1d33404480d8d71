"""The final order: each passage text quoted once, the relevance score, and no quote about another
variant of the condition than the question names."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot, Settings
from qa_bot.embedding import Embedder
from qa_bot.focus import other_names
from qa_bot.indexing import build_index, passage_text
from qa_bot.lexical import content_words
from qa_bot.ranking import COVERAGE_BOOST, FEATURES, WEIGHTS, Ranker
from qa_bot.retrieval import Retriever
from qa_bot.variant_names import Name

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
    passages = QABot.load(settings, embedder).search("Can physical therapy help my balance?", limit=3).hits
    assert [p.text for p in passages].count(shared) == 1
    assert len({p.text for p in passages}) == len(passages) == 3


def test_a_vetted_document_outranks_an_unreviewed_one_that_answers_as_well(
    tmp_path: Path, seed_settings: Settings, embedder: Embedder
) -> None:
    body = "Tremor is a shaking of the hands that people cannot control.\n\nIt can come with age."
    (tmp_path / "corpus").mkdir()
    write_document(tmp_path / "corpus", "a-unreviewed", "Tremor", "a leaflet", body)
    write_document(tmp_path / "corpus", "b-vetted", "Tremor", "https://example.org/tremor", body)
    path = tmp_path / "corpus" / "a-unreviewed.md"
    path.write_text(path.read_text().replace("reviewed_on: 2026-11-01", "reviewed_on: not reviewed"))
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    question = "Why do my hands shake?"
    hits = QABot.load(settings, embedder).search(question, limit=4).hits
    assert [h.doc_id for h in hits[:2]] == ["b-vetted", "b-vetted"]  # equal texts: the vetted copy, each once
    even = QABot.load(replace(settings, unvetted_margin=0.0), embedder).search(question, limit=1).hits
    assert even[0].doc_id == "a-unreviewed"  # without the tie-break, the first of two equals by row order


def test_a_passages_score_weighs_its_cosine_its_titles_and_its_documents_coverage(
    bot: QABot, embedder: Embedder
) -> None:
    question = "Can cerebellar atrophy be inherited?"
    (passage,) = bot.search(question, limit=1).hits
    document = bot.stored.documents[passage.doc_id]
    chunk = next(c for c in bot.stored.manifest.chunks if (c.doc_id, c.start) == (passage.doc_id, passage.start))
    names = other_names(document)  # "cerebro cerebellar volume loss, also known as cerebellar atrophy"
    assert names
    q, text, title, *named = embedder.encode([question, passage_text(document, chunk), document.title, *names])
    retriever = Retriever(bot.stored, bot.settings.candidates, Ranker(bot.stored, embedder, bot.settings))
    found = retriever.gather(question, q)
    same_document = [r for r in found.rows if bot.stored.manifest.chunks[r].doc_id == passage.doc_id]
    coverage = float(bot.stored.lexical.coverage(question, np.array(same_document)).max())
    assert 0 < coverage <= 1
    title_weight, lexical_weight = bot.settings.title_weight, bot.settings.lexical_weight
    assert 0 < title_weight < 1 and 0 < lexical_weight < 1
    closest_name = max(float(q @ v) for v in (title, *named))  # the closest of the document's names
    meaning = (1 - title_weight) * float(q @ text) + title_weight * closest_name
    assert abs(passage.relevance - ((1 - lexical_weight) * meaning + lexical_weight * coverage)) < 1e-4


def test_a_question_on_its_own_weighs_its_terms_in_the_passage_more_than_a_follow_up(
    bot: QABot, embedder: Embedder
) -> None:
    question = "can a stroke make the cerebellum shrink"
    vector = embedder.encode([question])[0]
    ranker = Ranker(bot.stored, embedder, bot.settings)
    found = Retriever(bot.stored, bot.settings.candidates, ranker).gather(question, vector)
    coverage = ranker.features(question, vector, found)[:, FEATURES.index("coverage")]
    alone, follow_up = ranker.scores(question, vector, found), ranker.scores(question, vector, found, follow_up=True)
    assert COVERAGE_BOOST > 1 and coverage.max() > 0
    extra = (COVERAGE_BOOST - 1) * WEIGHTS[FEATURES.index("coverage")] * coverage
    np.testing.assert_allclose(alone.fitted - follow_up.fitted, extra, rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(alone.relevance, follow_up.relevance)  # the no-match decision is unchanged


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What are the symptoms of spastic paraplegia type 8?", "Spastic paraplegia type 4"),
        ("Is spastic paraplegia type 3A inherited?", "Spastic paraplegia 11"),  # with and without "type"
        ("What are the symptoms of Spastic paraplegia 16?", "spastic paraplegia type 7"),
        ("Is osteogenesis imperfecta type III inherited?", "Osteogenesis imperfecta type I"),
        ("how is ALG1-congenital disorder of glycosylation treated", "ALG6-congenital disorder of glycosylation"),
        ("my son has Charcot-Marie-Tooth disease type 2N", "Charcot-Marie-Tooth disease type 2F"),
        ("Is type 1 diabetes inherited?", "Type 2 diabetes"),
    ],
)
def test_a_title_naming_another_variant_conflicts(question: str, title: str) -> None:
    assert Name.of(question).conflicts_with(Name.of(title))
    assert Name.of(title).conflicts_with(Name.of(question))


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Is osteogenesis imperfecta type III inherited?", "Osteogenesis imperfecta"),  # the general page
        ("What is spinocerebellar ataxia 3?", "Spinocerebellar ataxia type III"),  # the same variant
        ("I am 45 and have diabetes, what should I eat?", "Type 2 diabetes"),  # a number beside no name
        ("my 3 year old has trisomy, what should we expect", "Trisomy 18"),
        ("What does my HbA1c say about my diabetes?", "Diabetes type 2"),
        ("Why is my cerebellum shrinking?", "Cerebellar volume loss"),
    ],
)
def test_other_numbers_and_names_without_variants_do_not_conflict(question: str, title: str) -> None:
    assert not Name.of(question).conflicts_with(Name.of(title))


def test_a_question_about_a_variant_the_corpus_lacks_gets_no_quote_from_another(
    tmp_path: Path, seed_settings: Settings, embedder: Embedder
) -> None:
    (tmp_path / "corpus").mkdir()
    for kind, gene in (("1", "CACNA1A"), ("3", "SCN1A")):
        write_document(
            tmp_path / "corpus", f"fhm{kind}", f"Familial hemiplegic migraine type {kind}", "https://example.org",
            f"Familial hemiplegic migraine type {kind} is caused by changes in the {gene} gene. "
            "People with it have migraine headaches with weakness on one side of the body.\n",
        )
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    bot = QABot.load(settings, embedder)
    assert bot.ask("What causes familial hemiplegic migraine type 2?").status == "no_match"
    answer = bot.ask("What causes familial hemiplegic migraine type 3?")
    assert answer.status == "answered" and {q.doc_id for q in answer.quotes} == {"fhm3"}
    # The general question is answered from both pages; staff search lists the other variant (scored 0)
    # only with no relevance floor.
    assert bot.ask("What causes familial hemiplegic migraine?").status == "answered"
    assert bot.search("familial hemiplegic migraine type 2 causes", limit=2).hits == ()
    unfloored = QABot(replace(settings, search_min_relevance=0.0), bot.encoder, bot.stored)
    found = unfloored.search("familial hemiplegic migraine type 2 causes", limit=2).hits
    assert [(p.relevance, p.match) for p in found] == [(0.0, 0.0), (0.0, 0.0)]


def test_a_possessive_adds_no_title_word() -> None:
    assert content_words("Parkinson's Disease") == content_words("Parkinson disease") == {"parkinson", "diseas"}
    assert content_words("don't stop") == content_words("don stop")

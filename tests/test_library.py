"""The shipped corpus: the NIH cerebellar library beside the seed (issue 16)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot, Settings
from qa_bot.documents import corpus_fingerprint, load_corpus
from qa_bot.embedding import Embedder
from qa_bot.focus import defines
from qa_bot.indexing import build_index, chunking_params
from qa_bot.notices import Notice
from qa_bot.prebuilt import matching_vectors, write_prebuilt
from qa_bot.texts import texts
from qa_web.chat import plain_answer, render_answer
from qa_web.search_view import UNKNOWN_PUBLISHER, find, publisher_choices

from .conftest import PROJECT_CORPUS, SEED_ID

ROOT = PROJECT_CORPUS.parent
LIBRARY = {d: doc for d, doc in load_corpus(PROJECT_CORPUS).items() if d != SEED_ID}
CITATION = "A. Ben Abacha and D. Demner-Fushman, \"A Question-Entailment Approach to Question Answering\""


def test_every_library_page_says_where_it_comes_from_and_under_which_licence() -> None:
    assert 100 <= len(LIBRARY) <= 150
    for doc in LIBRARY.values():
        assert re.fullmatch(r"https?://[a-z.]+\.nih\.gov/\S+", doc.source), doc.id
        assert doc.publisher.endswith("NIH") and doc.review == "as_published" and doc.vetted
        assert doc.license.startswith("CC BY 4.0") and CITATION in doc.attribution and doc.retrieved == "2017"
    assert {doc.publisher.split(" (")[0].split(",")[0] for doc in LIBRARY.values()} == {
        "Genetic and Rare Diseases Information Center", "Genetics Home Reference",
        "National Institute of Neurological Disorders and Stroke"}
    notice = (PROJECT_CORPUS / "NOTICE").read_text(encoding="utf-8")
    assert "CC BY 4.0" in notice and CITATION in notice and "tools/select_library.py" in notice


def test_the_shipped_vectors_are_those_of_the_shipped_corpus(embedder: Embedder) -> None:
    """prebuilt/ must be rewritten (tools/write_prebuilt.py) whenever corpus/ changes."""
    fingerprint = corpus_fingerprint(load_corpus(PROJECT_CORPUS))
    found = matching_vectors(ROOT / "prebuilt", embedder.weights_sha256, fingerprint, chunking_params(Settings()))
    assert found is not None, "run `python tools/write_prebuilt.py` after changing corpus/"


def test_prebuilt_vectors_are_used_only_for_their_own_model_corpus_and_chunking(tmp_path: Path) -> None:
    keys, vectors = ["a" * 64, "b" * 64], np.eye(2, 4, dtype=np.float32)
    write_prebuilt(tmp_path, keys, vectors, {"weights_sha256": "w", "corpus_fingerprint": "c",
                                             "chunking": {"max_tokens": 200}})
    found = matching_vectors(tmp_path, "w", "c", {"max_tokens": 200})
    assert found is not None and found[0] == keys and np.array_equal(found[1], vectors)
    assert matching_vectors(tmp_path, "other weights", "c", {"max_tokens": 200}) is None
    assert matching_vectors(tmp_path, "w", "another corpus", {"max_tokens": 200}) is None
    assert matching_vectors(tmp_path, "w", "c", {"max_tokens": 64}) is None
    (tmp_path / "vectors.npz").write_bytes(b"not numpy")
    assert matching_vectors(tmp_path, "w", "c", {"max_tokens": 200}) is None


def test_a_changed_corpus_ignores_the_prebuilt_vectors_and_equals_a_full_build(
    tmp_path: Path, seed_settings: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale prebuilt/ (here: vectors of the right keys but wrong values) must not reach the index."""
    folder = tmp_path / "prebuilt"
    settings = replace(seed_settings, index_dir=tmp_path / "index", prebuilt_dir=folder)
    documents = load_corpus(settings.corpus_dir)
    build_index(settings, embedder)
    truth = QABot.load(settings).stored.vectors.reconstruct_n(0, 1)
    cache = next((tmp_path / "index" / "embeddings").glob("*.npz"))
    with np.load(cache) as data:
        keys = [str(k) for k in data["keys"]]
    shutil.rmtree(tmp_path / "index")
    manifest = {"weights_sha256": embedder.weights_sha256, "chunking": chunking_params(settings)}
    write_prebuilt(folder, keys, np.zeros((len(keys), embedder.dimension)),
                   {**manifest, "corpus_fingerprint": "another corpus"})
    build_index(settings, embedder)
    assert np.allclose(QABot.load(settings).stored.vectors.reconstruct_n(0, 1), truth, atol=1e-5)
    shutil.rmtree(tmp_path / "index")  # the same vectors for this very corpus: used, nothing embedded
    write_prebuilt(folder, keys, np.zeros((len(keys), embedder.dimension)),
                   {**manifest, "corpus_fingerprint": corpus_fingerprint(documents)})
    monkeypatch.setattr(embedder, "encode", lambda *a, **k: pytest.fail("embedded although prebuilt matched"))
    build_index(settings, embedder)
    assert not QABot.load(settings).stored.vectors.reconstruct_n(0, 1).any()


def test_a_patients_question_is_answered_from_the_nih_page_with_its_publisher(library_bot: QABot) -> None:
    answer = library_bot.ask("Is Friedreich ataxia passed on in families?")
    first = answer.quotes[0]
    assert answer.status == "answered" and "Friedreich" in first.title and first.review == "as_published"
    assert first.provenance == texts().as_published_source.format(publisher=first.publisher, retrieved="2017")
    assert all(n.kind != "unreviewed" for n in answer.notices)
    html = render_answer(answer, library_bot.stored.documents)
    assert "retrieved 2017" in html and texts().unreviewed_source not in html
    assert first.provenance in plain_answer(answer)


def test_the_unreviewed_notice_comes_once_and_only_with_the_seed(library_bot: QABot) -> None:
    questions = ("my MRI says mild cerebellar volume loss what does that mean",
                 "what is spinocerebellar ataxia type 6", "What is cerebro cerebellar volume loss?")
    answers = [library_bot.ask(q) for q in questions]
    for answer in answers:
        quoted_seed = any(q.doc_id == SEED_ID for q in answer.quotes)
        notices = [n for n in answer.notices if n.kind == "unreviewed"]
        assert notices == ([Notice("unreviewed", texts().unreviewed_source)] if quoted_seed else [])
    assert any(q.doc_id == SEED_ID for a in answers for q in a.quotes)


def test_the_seeds_long_source_is_short_with_the_whole_line_on_expand(library_bot: QABot) -> None:
    answer = library_bot.ask("What is cerebro cerebellar volume loss?")
    seed = next(q for q in answer.quotes if q.doc_id == SEED_ID)
    html = render_answer(replace(answer, quotes=(seed,)), library_bot.stored.documents)
    assert '<details class="cite qa-source"><summary>— <strong>' in html  # the whole citation is the summary
    summary, full = html.split("<details")[1].split("</summary>")
    assert 'Source: <span class="qa-short">qa&#95;bot seed text …</span>' in summary and "unknown" not in summary
    assert "unknown" in full  # the whole line, on expand


def test_staff_search_filters_by_publisher(library_bot: QABot) -> None:
    choices = [value for _, value in publisher_choices(library_bot)]
    assert choices[0] == "" and UNKNOWN_PUBLISHER in choices and len(choices) == 5
    everything = find(library_bot, "balance problems", page_size=100)
    ghr = "Genetics Home Reference, U.S. National Library of Medicine, NIH"
    only = find(library_bot, "balance problems", page_size=100, publisher=ghr)
    assert 0 < only.total < everything.total and all(h.passage.publisher == ghr for h in only.hits)
    unknown = find(library_bot, "balance problems", page_size=100, publisher=UNKNOWN_PUBLISHER)
    assert {h.passage.doc_id for h in unknown.hits} == {SEED_ID}


def test_list_json_gives_publisher_source_review_and_passages(library_bot: QABot, capsys, isolated_env) -> None:
    from qa_bot.cli import main

    isolated_env.setenv("QA_BOT_CORPUS", str(library_bot.settings.corpus_dir))
    isolated_env.setenv("QA_BOT_INDEX", str(library_bot.settings.index_dir))
    assert main(["list", "--json"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert len(rows) == len(LIBRARY) + 1 and rows[SEED_ID]["review"] == "unreviewed"
    ghr = rows["GHR_0000942"]
    assert (ghr["publisher"], ghr["source"], ghr["review"]) == (
        "Genetics Home Reference, U.S. National Library of Medicine, NIH",
        "https://ghr.nlm.nih.gov/condition/spinocerebellar-ataxia-type-6", "as_published")
    counts = {}
    for chunk in library_bot.stored.manifest.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    assert {d: r["passages"] for d, r in rows.items()} == counts


def test_the_selection_rule_names_the_cerebellum_ataxia_or_a_listed_cause() -> None:
    spec = importlib.util.spec_from_file_location("select_library", ROOT / "tools" / "select_library.py")
    rule = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rule)
    record = {"id": "GHR_0000001", "title": "essential tremor", "source_collection": "GHR",
              "url": "https://ghr.nlm.nih.gov/condition/essential-tremor", "text": "Essential tremor is ...",
              "synonyms": ["familial tremor"]}
    assert not rule.selected(record)
    assert rule.selected({**record, "synonyms": ["hereditary cerebellar tremor"]})
    assert rule.selected({**record, "title": "Friedreich's ataxia"})
    assert rule.selected({**record, "title": "multiple system atrophy"})
    doc = rule.library_document({**record, "title": "episodic ataxia"})
    assert (doc.id, doc.title, doc.source, doc.body) == (
        "GHR_0000001", "Episodic ataxia", record["url"], record["text"] + "\n")
    assert rule.file_name(doc) == "GHR_0000001-episodic-ataxia.md"
    shipped = {p.name: p.read_text(encoding="utf-8") for p in PROJECT_CORPUS.glob("*.md") if p.name[0].isupper()}
    assert len(shipped) == len(LIBRARY) and all(rule.LIBRARY_FILE.match(name) for name in shipped)


@pytest.mark.parametrize(("question", "title"), [
    ("what is SCA6", "Spinocerebellar ataxia type 6"),
    ("how is MSA diagnosed", "Multiple system atrophy"),
])
def test_a_name_the_page_gives_its_subject_finds_the_page(library_bot: QABot, question: str, title: str) -> None:
    """"Spinocerebellar ataxia type 6 (SCA6) is ...": patients ask by the short name as often as by the title."""
    answer = library_bot.ask(question)
    assert answer.status == "answered" and answer.quotes[0].title.lower() == title.lower()


def test_what_is_gets_the_passage_that_says_what_it_is(library_bot: QABot) -> None:
    answer = library_bot.ask("what is friedreich ataxia")
    assert answer.status == "answered"
    assert defines(answer.quotes[0].text, ("Friedreich ataxia", "Friedreich's ataxia")), answer.quotes[0].text[:80]

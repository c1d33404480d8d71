"""`qa-bot eval` on a maintainer's own corpus folder, with questions that name their documents."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from qa_bot.cli import main
from qa_bot.errors import InvalidDocument
from qa_eval.corpus import ABSENT, DOCUMENT_KEYS
from qa_eval.data import Span, load_questions

from .conftest import PROJECT_CORPUS, SEED_ID
from .staff_corpus import write_document

ANKLE = (
    "A sprained ankle is an injury to the ligaments that hold the ankle bones together. It usually "
    "happens when the foot twists or rolls inward.\n\n"
    "Rest, ice, compression and raising the ankle help the swelling go down in the first days. "
    "Most sprains heal within a few weeks.\n"
)
HAY_FEVER = (
    "Hay fever is an allergy to pollen from grass, trees or weeds. It causes sneezing, a runny or "
    "blocked nose and itchy, watery eyes, mostly in spring and summer.\n"
)
QUESTIONS = [
    {"question": "Why does the cerebellum shrink?", "doc_ids": [SEED_ID]},
    {"question": "How should I treat a sprained ankle?", "doc_ids": ["sprained-ankle"]},
    {"question": "Is hay fever an allergy to pollen?", "doc_ids": ["hay-fever"], "subject": "allergy"},
    {"question": "How do I bake a chocolate cake?", "doc_ids": []},
    {"question": "Where can I watch the football tonight?", "doc_ids": []},
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed document and two small made-up ones."""
    folder = tmp_path_factory.mktemp("own") / "corpus"
    folder.mkdir()
    shutil.copy(PROJECT_CORPUS / f"{SEED_ID}.md", folder)
    write_document(folder, "sprained-ankle", "Sprained ankle", "made up for the tests", ANKLE)
    write_document(folder, "hay-fever", "Hay fever", "made up for the tests", HAY_FEVER)
    return folder


def _lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _eval(tmp_path: Path, corpus: Path, records: list[dict]) -> dict:
    questions = _lines(tmp_path / "questions.jsonl", records)
    out = tmp_path / "report.json"
    args = ["eval", str(questions), "--docs", str(corpus), "--json", str(out), "--cache", str(corpus.parent / "cache")]
    assert main(args) == 0
    return json.loads(out.read_text())


@pytest.mark.usefixtures("embedder", "isolated_env")  # the CLI gets the session's model (shared_embedder)
def test_a_corpus_folder_gets_the_document_level_report(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _eval(tmp_path, corpus, QUESTIONS)
    for figures in (report["metrics"], *report["baselines"].values()):
        assert tuple(figures) == DOCUMENT_KEYS
    assert report["metrics"]["doc_hit1"] == report["metrics"]["mrr10"] == 1.0
    assert report["absent"] == ABSENT and "passage_hit1" not in report["metrics"]
    ab = report["abstention"]
    assert ab["calibration_questions"] == {"answerable": 3, "unanswerable": 2}
    # The two off-topic questions are refused at the configured min_relevance and the chosen threshold.
    assert ab["ours_at_configured"] == {"wrongly_abstained": 0.0, "wrongly_answered": 0.0}
    assert (report["metrics"]["wrongly_abstained"], report["metrics"]["wrongly_answered"]) == (0.0, 0.0)
    assert report["data"]["documents"] == 3 and report["data"]["questions"] == 5
    out = capsys.readouterr().out
    assert f"min_relevance chosen: {ab['chosen_threshold']['hybrid']}" in out
    assert "not measured: passage_hit1, passage_hit3" in out
    analysed = report["message_analysis"]  # one question has a subject line, none is annotated
    assert (analysed["messages"], analysed["annotated"], analysed["focus_agreement"]) == (1, 0, None)
    assert analysed["retrieval"]["with_subject"]["first"] == 1.0
    assert "messages with annotations or a subject: 1; focus as annotated n/a" in out


@pytest.mark.usefixtures("embedder", "isolated_env")
def test_eval_reports_focus_and_kind_agreement_where_annotated(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotated = [
        {"question": "My son is 9 and the doctor says he has hay fever. What causes it?", "doc_ids": ["hay-fever"],
         "subquestions": [{"focus": "hay fever", "type": "Cause"}]},
        {"message": "It hurts since Monday. How should I treat it?", "subject": "sprained ankel",
         "doc_ids": ["sprained-ankle"], "subquestions": [{"focus": "sprained ankle", "type": "prognosis"}]},
        QUESTIONS[3],
    ]
    analysed = _eval(tmp_path, corpus, annotated)["message_analysis"]
    assert (analysed["messages"], analysed["annotated"]) == (2, 2)
    assert (analysed["focus_agreement"], analysed["kind_agreement"]) == (1.0, 0.5)  # "treat" is not "prognosis"
    assert "focus as annotated 100.0%, kind of question 50.0% (of 2 annotated)" in capsys.readouterr().out


@pytest.mark.usefixtures("embedder", "isolated_env")
def test_a_question_naming_no_document_must_be_refused(tmp_path: Path, corpus: Path) -> None:
    # The corpus answers it, but the file says it must be refused: answering it is an error.
    marked = [*QUESTIONS[:3], {"question": "What causes cerebellar atrophy?", "doc_ids": []}]
    report = _eval(tmp_path, corpus, marked)
    assert report["abstention"]["calibration_questions"] == {"answerable": 3, "unanswerable": 1}
    assert report["abstention"]["ours_at_configured"]["wrongly_answered"] == 1.0


@pytest.mark.usefixtures("embedder", "isolated_env")
def test_unknown_document_ids_are_named(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = _lines(tmp_path / "q.jsonl", [{"question": "What is hay fever?", "doc_ids": ["hayfever"]}])
    assert main(["eval", str(questions), "--docs", str(corpus), "--cache", str(tmp_path / "cache")]) == 1
    assert "not in" in (err := capsys.readouterr().err) and "hayfever" in err


def test_without_the_measurement_package_eval_says_what_to_install(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setitem(sys.modules, "qa_eval", None)  # as if it were not installed
    assert main(["eval", str(tmp_path / "q.jsonl")]) == 1
    assert "pip install -e '.[eval]'" in capsys.readouterr().err


def test_both_question_shapes_load(tmp_path: Path) -> None:
    medquad = {"qid": "MQ1", "question": "Is it inherited?", "relevant_doc_ids": ["d1"], "same_focus_doc_ids": ["d2"],
               "answer_passages": [{"doc_id": "d1", "start": 0, "end": 9}]}
    path = _lines(tmp_path / "q.jsonl", [medquad, QUESTIONS[2], QUESTIONS[3]])
    first, own, refused = load_questions(path)
    assert (first.qid, first.relevant_doc_ids, first.related_doc_ids) == ("MQ1", ("d1",), ("d2",))
    assert first.answer_passages == (Span("d1", 0, 9),)
    assert (own.relevant_doc_ids, own.subject, own.answer_passages) == (("hay-fever",), "allergy", ())
    assert not refused.answerable


@pytest.mark.parametrize(
    ("line", "message"),
    [({"doc_ids": []}, 'no "question" text'), ({"question": "Why?", "doc_ids": "hay-fever"}, "list of document ids")],
)
def test_a_bad_question_line_says_what_to_write(tmp_path: Path, line: dict, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        load_questions(_lines(tmp_path / "q.jsonl", [QUESTIONS[0], line]))

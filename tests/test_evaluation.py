"""The quality benchmark and the ranking it measures, on a small sample of real MedQuAD data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot
from qa_bot.cli import main
from qa_bot.config import Settings
from qa_bot.embedding import Embedder
from qa_bot.lexical import LexicalIndex
from qa_bot.ranking import Ranker
from qa_bot.retrieval import Retriever
from qa_eval.baselines import rrf
from qa_eval.benchmark import KEYS
from qa_eval.data import Question, cached_index, load_documents, load_questions, overlaps, split_for_abstention
from qa_eval.metrics import Ranked, abstention_rates, choose_threshold, ranking_metrics

DATA = Path(__file__).resolve().parent / "data"
DOCS = DATA / "medquad_docs.jsonl"
QUESTIONS = DATA / "medquad_questions.jsonl"


def _question(relevant: tuple[str, ...]) -> Question:
    return Question(qid="q", text="?", relevant_doc_ids=relevant, answer_passages=())


# Three answerable questions (the first two found, the third not) and two unanswerable ones.
TINY_QUESTIONS = [_question(("A",)), _question(("B",)), _question(("D",)), _question(()), _question(())]
TINY_RANKED = [
    Ranked(("A", "B"), (True, False, False), 0.9),
    Ranked(("A", "C", "B"), (False, False, True), 0.6),
    Ranked(("A",), (False,), 0.5),
    Ranked(("A",), (False,), 0.55),
    Ranked(("C",), (False,), 0.2),
]


def test_ranking_metrics_on_a_hand_checked_case() -> None:
    assert ranking_metrics(TINY_QUESTIONS, TINY_RANKED) == {
        "doc_hit1": 0.3333,
        "doc_hit5": 0.6667,
        "mrr10": 0.4444,  # (1 + 1/3 + 0) / 3
        "passage_hit1": 0.3333,
        "passage_hit3": 0.6667,
    }


def test_abstention_rates_and_the_chosen_threshold() -> None:
    assert abstention_rates(TINY_QUESTIONS, TINY_RANKED, 0.58) == {"wrongly_abstained": 0.3333, "wrongly_answered": 0.0}
    # Between 0.55 and 0.6 the larger error (1 of 3 answerable refused) is smallest.
    assert choose_threshold(TINY_QUESTIONS, TINY_RANKED) == pytest.approx(0.575)


def test_rrf_rewards_agreement() -> None:
    assert rrf([[1, 2], [2, 3]]) == [2, 1, 3]  # 1/62 + 1/61 beats 1/61 beats 1/62


def test_coverage_weighs_terms_by_rarity_and_counts_unknown_words() -> None:
    lexical = LexicalIndex.build(["cats purr softly", "dogs bark loudly", "cats and dogs"])
    rows = np.array([0, 1, 2])
    # idf = ln(1 + (N - df + 0.5) / (df + 0.5)) with N = 3: "cats" (df 2) 0.470, "bark" (df 1) 0.981.
    np.testing.assert_allclose(lexical.coverage("cats bark", rows), [0.3240, 0.6760, 0.3240], atol=1e-4)
    np.testing.assert_allclose(lexical.coverage("zebras purr", rows), [0.5, 0.0, 0.0], atol=1e-4)


def test_the_sample_loads_with_valid_answer_spans() -> None:
    documents = load_documents(DOCS)
    questions = load_questions(QUESTIONS)
    assert len(documents) == 6 and len(questions) == 19
    assert sum(not q.answerable for q in questions) == 3
    for question in questions:
        for span in question.answer_passages:
            assert 0 <= span.start < span.end <= len(documents[span.doc_id].body)


def test_leaving_documents_out_makes_their_questions_unanswerable() -> None:
    questions = [q for q in load_questions(QUESTIONS) if q.answerable]
    answerable, unanswerable = split_for_abstention(questions, frozenset({"GHR_0000004"}))
    assert {q.qid for q in unanswerable} == {q.qid for q in questions if q.relevant_doc_ids == ("GHR_0000004",)}
    assert all(not q.answerable for q in unanswerable) and len(unanswerable) == 5
    assert len(answerable) + len(unanswerable) == len(questions)


@pytest.fixture(scope="module")
def sample_retriever(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    stored = cached_index(load_documents(DOCS), tmp_path_factory.mktemp("eval"), embedder, Settings())
    return Retriever(stored, 50, Ranker(stored, embedder, Settings()))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How do doctors treat cerebellar degeneration?", "What are the treatments for Cerebellar degeneration ?"),
        ("Can parents pass acatalasemia on to their children?", "Is acatalasemia inherited ?"),
        ("which tests show that someone has Graves disease", "How to diagnose Graves' Disease ?"),
    ],
)
def test_patient_wording_gets_the_passage_of_the_right_kind_first(
    sample_retriever: Retriever, embedder: Embedder, question: str, kind: str
) -> None:
    target = next(q for q in load_questions(QUESTIONS) if q.text == kind)
    top = sample_retriever.search(question, embedder.encode([question])[0], 1)[0]
    assert any(overlaps(s, top.doc_id, top.start, top.end) for s in target.answer_passages), top.text[:80]


def test_eval_command_reports_ours_and_the_baselines(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "quality.json"
    args = ["eval", str(QUESTIONS), "--docs", str(DOCS), "--json", str(out), "--cache", str(tmp_path / "cache")]
    assert main(args) == 0
    report = json.loads(out.read_text())
    assert set(report["baselines"]) == {"bm25", "dense", "rrf"}
    for figures in (report["metrics"], *report["baselines"].values()):
        assert set(figures) == set(KEYS)
    ours, dense = report["metrics"], report["baselines"]["dense"]
    # 14 of the 16: two pages share the title "Cerebellar degeneration" (NINDS and GARD), and which of
    # the two comes first for their questions is a near tie.
    assert ours["doc_hit1"] >= 0.85 and ours["passage_hit3"] >= 0.8
    assert ours["passage_hit1"] >= dense["passage_hit1"]
    assert report["data"] == {
        "question_files": [str(QUESTIONS)],
        "docs_file": str(DOCS),
        "documents": 6,
        "passages": report["data"]["passages"],
        "questions": 19,
        "answerable_questions": 16,
    }
    assert "passage_hit1" in capsys.readouterr().out


ABOUT_THE_SEED = [
    "I was told my cerebellum has shrunk. What is that?",
    "What can cause cerebellar atrophy?",
    "my husband has cerebellar atrophy, how will it affect him",
    "Is there any treatment for a shrinking cerebellum?",
    "How would a doctor find out if I have cerebellar atrophy?",
    "Can cerebellar volume loss make walking and balance difficult?",
    "Does getting older make the cerebellum lose volume?",
    "Could a brain injury cause my cerebellum to shrink?",
    "Can speech therapy help with cerebellar atrophy?",
    "is cerebellar atrophy curable",
]
NOT_IN_THE_SEED = [
    "What are the warning signs of a heart attack?",
    "How do you treat a sprained ankle?",
    "What causes eczema?",
    "Is measles dangerous for adults?",
    "How can I tell if I have type 2 diabetes?",
    "What is the best treatment for migraines?",
    "How do I bake a chocolate cake?",
    "What is the best way to clean my oven?",
    "How do I install a printer on my computer?",
    "Where can I watch the football tonight?",
]


@pytest.mark.parametrize("question", ABOUT_THE_SEED)
def test_seed_corpus_answers_cerebellar_atrophy_in_patients_words(bot: QABot, question: str) -> None:
    assert bot.ask(question).status == "answered"


@pytest.mark.parametrize("question", NOT_IN_THE_SEED)
def test_seed_corpus_refuses_other_diseases_and_everyday_questions(bot: QABot, question: str) -> None:
    assert bot.ask(question).status == "no_match"

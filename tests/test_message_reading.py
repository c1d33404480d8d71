"""Reading long, messy messages for what they ask: their focus, the kind of question, several questions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from qa_bot import QABot, Settings
from qa_bot.documents import make_document
from qa_bot.embedding import Embedder
from qa_bot.focus import defines, other_names
from qa_bot.index_store import read_index
from qa_bot.indexing import build_index
from qa_bot.question_parts import asked_sentences
from qa_bot.question_type import DEFAULT_KIND, question_kind
from qa_eval.analysis import agreement, same_name
from qa_eval.data import load_documents, load_questions

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def medquad_bot(tmp_path_factory: pytest.TempPathFactory, seed_settings: Settings, embedder: Embedder) -> QABot:
    """A bot over the six MedQuAD documents of tests/data."""
    settings = replace(seed_settings, index_dir=tmp_path_factory.mktemp("medquad") / "index")
    build_index(settings, embedder, load_documents(DATA / "medquad_docs.jsonl"))
    return QABot(settings, embedder, read_index(settings.index_dir))


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("What causes it?", "cause"),
        ("is there a cure for this", "treatment"),
        ("Can my children get it from me, is it hereditary?", "inheritance"),
        ("What is the life expectancy?", "prognosis"),
        ("Which doctor should I see?", "organization"),
        ("What are the side effects of this pill?", "side effects"),
        ("Please send me information on it.", "information"),
        ("Thank you so much.", DEFAULT_KIND),
        ("I was diagnosed with it last year and my doctor said to wait. What can be done?", "treatment"),
        ("Can I still use eye drops that are out of date?", "storage and disposal"),
        ("Can older infants get jaundice?", "susceptibility"),
        ("Please help me, is there a test for it?", "diagnosis"),
    ],
)
def test_the_kind_of_question_is_read_from_its_words(sentence: str, kind: str) -> None:
    assert question_kind(sentence) == kind


def test_a_sentence_without_kind_words_takes_the_kind_its_message_asks() -> None:
    assert question_kind("Please help.", "My son has seizures. Is there any treatment? Please help.") == "treatment"


def test_every_asking_sentence_is_found_in_order() -> None:
    message = "My aunt is 84. She was told she has Graves disease. What causes it? And can it be cured?"
    assert asked_sentences(message) == ["What causes it?", "And can it be cured?"]
    assert asked_sentences("My knee hurts. It started last week.") == ["My knee hurts. It started last week."]


def test_other_names_are_read_where_a_page_names_its_subject() -> None:
    doc = make_document(
        {"id": "s", "title": "Sweet syndrome", "source": "x", "reviewed_by": "x", "reviewed_on": "not reviewed",
         "license": "x"},
        "Sweet syndrome, also known as acute febrile neutrophilic dermatosis, is a skin condition. "
        "Chronic obstructive pulmonary disease is not named here.\n",
    )
    assert other_names(doc) == ["acute febrile neutrophilic dermatosis"]


def test_the_focus_is_found_misspelt_in_a_story(medquad_bot: QABot) -> None:
    message = ("My sister is 42 and lives with us since the divorce. Her doctor says she has Gravs disease. "
               "What are the treatments?")
    asked = medquad_bot.read_message(message)
    assert [(q.focus.text, q.focus.name, q.kind) for q in asked] == [("graves disease", "Graves' Disease", "treatment")]
    assert asked[0].focus.doc_ids == ("NIDDK_0000004",)


def test_a_focus_named_only_in_the_subject_line_is_answered(medquad_bot: QABot) -> None:
    message = "My daughter was diagnosed last month and we are scared. Is it inherited?"
    assert [q.focus.doc_ids for q in medquad_bot.read_message(message, "acatalasemia")] == [("GHR_0000004",)]
    answer = medquad_bot.ask(message, subject="acatalasemia")
    assert answer.status == "answered" and answer.quotes[0].doc_id == "GHR_0000004"
    hits = medquad_bot.search(message, 5, subject="acatalasemia").hits
    assert hits[0].doc_id == "GHR_0000004"


def test_a_focus_the_corpus_never_mentions_is_marked_so(medquad_bot: QABot) -> None:
    message = "My brother has zygomycosis after his surgery last year. What is the treatment for zygomycosis?"
    (asked,) = medquad_bot.read_message(message)
    assert asked.focus.text == "zygomycosis" and not asked.focus.in_corpus and asked.focus.doc_ids == ()


def test_each_question_of_a_message_is_read_for_its_own_focus_and_kind(medquad_bot: QABot) -> None:
    message = ("I was told I have Graves disease and my cousin has acatalasemia. How is Graves disease treated? "
               "Is acatalasemia inherited?")
    asked = medquad_bot.read_message(message)
    expected = [(("NIDDK_0000004",), "treatment"), (("GHR_0000004",), "inheritance")]
    assert [(q.focus.doc_ids, q.kind) for q in asked] == expected


def test_a_focus_outside_the_corpus_is_the_phrase_that_names_it(medquad_bot: QABot) -> None:
    (asked,) = medquad_bot.read_message("What are some treatments for pubic lice")
    assert asked.focus.text == "pubic lice" and asked.focus.doc_ids == ()
    (asked,) = medquad_bot.read_message("How do I get rid of these little devils? We tried everything.", "Body Lice")
    assert asked.focus.text == "Body Lice"


def test_a_focus_phrase_leaves_out_verbs_of_the_story_and_misspelt_words_of_any_message(medquad_bot: QABot) -> None:
    (asked,) = medquad_bot.read_message("I need something for dry mouth caused by my tablets")
    assert asked.focus.text == "dry mouth"
    (asked,) = medquad_bot.read_message("WHAT IS THE LATEST ON TREATING CANCER?? PARTICULLARY LIVER CANCER??")
    assert "particullary" not in asked.focus.text.lower()


def test_a_name_is_read_with_the_words_of_its_phrase(medquad_bot: QABot) -> None:
    (asked,) = medquad_bot.read_message("My aunt has hyperthyroid Graves disease. How is it treated?")
    assert asked.focus.text == "hyperthyroid Graves disease" and asked.focus.doc_ids == ("NIDDK_0000004",)


def test_names_are_compared_after_case_word_forms_and_spelling() -> None:
    assert same_name("Graves disease", "graves' diseases")
    assert same_name("familial mediterean fever", "Familial Mediterranean Fever")
    assert not same_name("Graves disease", "acatalasemia")
    assert same_name("Cushing", "Cushing's syndrome") and same_name("Kartagener syndromes", "kartagener's syndrome")
    assert not same_name("syndrome", "Kartagener syndrome")


def test_eval_reports_focus_and_kind_agreement(medquad_bot: QABot, tmp_path: Path) -> None:
    rows = [
        {"qid": "a", "subject": "", "message": "My uncle has Graves disease. What causes it?",
         "subquestions": [{"focus": "Graves disease", "type": "Cause"}], "relevant_doc_ids": ["NIDDK_0000004"]},
        {"qid": "b", "subject": "acatalasemia", "message": "Is it inherited? My son has it.",
         "subquestions": [{"focus": "acatalasemia", "type": "treatment"}], "relevant_doc_ids": []},
    ]
    path = tmp_path / "messages.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    questions = load_questions(path)
    assert questions[1].subject == "acatalasemia"
    assert agreement(medquad_bot, questions) == {"annotated": 2, "focus_agreement": 1.0, "kind_agreement": 0.5}


@pytest.mark.parametrize(("text", "expected"), [
    ("Spinocerebellar ataxia type 6 (SCA6) is a condition characterized by progressive problems", True),
    ("What is Friedreich ataxia? Friedreich ataxia is an inherited condition that affects", True),
    ("Cerebro cerebellar volume loss, also known as cerebellar atrophy, is a condition in which", True),
    ("Friedreich's ataxia is a rare inherited disease", True),
    ("The worldwide prevalence of SCA6 is estimated to be less than 1 in 100,000 individuals.", False),
    ("Mutations in the CACNA1A gene cause SCA6.", False),
])
def test_a_passage_that_says_what_its_subject_is_is_a_definition(text: str, expected: bool) -> None:
    names = ("Spinocerebellar ataxia type 6", "SCA6", "Friedreich ataxia", "Cerebro cerebellar volume loss")
    assert defines(text, names) is expected

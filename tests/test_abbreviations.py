"""A document's abbreviation in a question is read with the name it stands for (qa_bot/abbreviations.py)."""

from __future__ import annotations

from pathlib import Path

from qa_bot import QABot
from qa_bot.abbreviations import Abbreviations
from qa_bot.documents import load_corpus

from .staff_corpus import write_document


def _abbreviations(tmp_path: Path) -> Abbreviations:
    write_document(tmp_path, "fbs", "Foo bar syndrome", "test",
                   "Foo bar syndrome (FBS) is a rare condition. It is also written as Foo bar syndrome.\n")
    write_document(tmp_path, "sca3", "Spinocerebellar ataxia type 3", "test",
                   "Spinocerebellar ataxia type 3 (SCA3) is a condition that affects movement.\n")
    write_document(tmp_path, "sca3-gard", "Spinocerebellar ataxia 3", "test",
                   "Spinocerebellar ataxia 3 (SCA3) is inherited.\n")
    write_document(tmp_path, "arsacs", "Spastic ataxia of the north", "test",
                   "Spastic ataxia of the north, more commonly known as ARSACS, affects the legs.\n")
    write_document(tmp_path, "pcd-one", "Primary ciliary dyskinesia", "test",
                   "Primary ciliary dyskinesia (PCD) is ...\n")
    write_document(tmp_path, "pcd-two", "Paraneoplastic cerebellar degeneration", "test",
                   "Paraneoplastic cerebellar degeneration (PCD) is ...\n")
    return Abbreviations(load_corpus(tmp_path))


def test_an_abbreviation_the_documents_give_is_read_with_its_title(tmp_path: Path) -> None:
    expansions = _abbreviations(tmp_path)
    assert expansions.expanded("my son has FBS, is it rare") == "my son has FBS (Foo bar syndrome), is it rare"
    assert expansions.expanded("the doctor said ARSACS") == "the doctor said ARSACS (Spastic ataxia of the north)"
    # Pages on one condition under two titles ("type" aside) agree; small letters count only with a digit.
    assert expansions.expanded("my mom has sca3 and FBS") == (
        "my mom has sca3 (Spinocerebellar ataxia type 3) and FBS (Foo bar syndrome)")
    assert expansions.expanded("fbs results") == "fbs results"


def test_an_abbreviation_of_two_conditions_or_already_explained_is_left_as_typed(tmp_path: Path) -> None:
    expansions = _abbreviations(tmp_path)
    assert expansions.expanded("what is PCD") == "what is PCD"  # two conditions: neither is guessed
    assert expansions.expanded("is Foo bar syndrome (FBS) rare") == "is Foo bar syndrome (FBS) rare"
    assert expansions.expanded("nothing to expand here") == "nothing to expand here"


def test_a_patient_naming_a_condition_by_its_abbreviation_is_answered_from_its_pages(library_bot: QABot) -> None:
    answer = library_bot.ask("my neighbour was told she has ARSACS, what happens in it")
    assert answer.status == "answered"
    assert "Charlevoix-Saguenay" in library_bot.stored.documents[answer.quotes[0].doc_id].title
    body = library_bot.stored.documents[answer.quotes[0].doc_id].body
    assert body[answer.quotes[0].start : answer.quotes[0].end] == answer.quotes[0].text  # still a slice

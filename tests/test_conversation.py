"""Conversations: follow-ups answered about the conversation's topic, asking back, helpful no-matches."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from qa_bot import Notice, QABot, Settings
from qa_bot.cli import main
from qa_bot.condition_names import ConditionNames, condition_names
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index
from qa_bot.lexical import content_words
from qa_bot.texts import texts
from tests.staff_corpus import write_document

FIRST = "my MRI says mild cerebellar volume loss what does that mean"
SEED_TITLE = "Cerebro cerebellar volume loss"
CARRIED = Notice("context", texts().context_topic.format(title=SEED_TITLE))


def test_a_follow_up_is_answered_about_the_conversations_topic_and_says_so(bot: QABot) -> None:
    answer = bot.ask("and how is it treated?", [FIRST])
    assert answer.status == "answered" and answer.notices[0] == CARRIED
    assert any("therapy" in q.text or "no cure" in q.text for q in answer.quotes)
    body = bot.stored.documents[answer.quotes[0].doc_id].body
    assert all(body[q.start : q.end] == q.text for q in answer.quotes)  # still verbatim slices


def test_alone_the_same_follow_up_gets_a_no_match_with_questions_that_are_answered(bot: QABot) -> None:
    answer = bot.ask("and how is it treated?")
    assert answer.status == "no_match" and 3 <= len(answer.suggestions) <= 5
    assert answer.suggestions[0] == texts().suggestion_templates["overview"].format(title=SEED_TITLE)
    for suggestion in answer.suggestions:
        assert bot.ask(suggestion).status == "answered", suggestion


def test_context_never_makes_an_off_topic_question_answerable(bot: QABot) -> None:
    earlier = [FIRST, "what causes it", "is there a cure"]
    for question in ("How do I renew my passport?", "what is the capital of France?", "best pizza dough recipe"):
        assert bot.ask(question, earlier).status == "no_match", question



def test_a_follow_up_close_to_another_title_but_matching_nothing_is_read_in_its_conversation(
        library_bot: QABot) -> None:
    # "hereditary" brings it near "Autosomal recessive spastic ataxia 4" in meaning, yet no passage matches it
    question = "is it hereditary, will my kids get it"
    assert library_bot.ask(question).status == "no_match"
    answer = library_bot.ask(question, [FIRST])
    assert answer.status == "answered" and answer.notices[0] == CARRIED
    assert {q.doc_id for q in answer.quotes} == {"cerebellar-volume-loss"}
    for passport in ("How do I renew my passport?", "what is the capital of France?"):
        assert library_bot.ask(passport, [FIRST, question]).status == "no_match", passport


def test_a_follow_up_pointing_back_continues_without_the_topics_words(bot: QABot) -> None:
    # no word of the seed's pages, but "it" points back and it asks for health information
    for question in ("is it serious", "is that why i keep losing my balance"):
        answer = bot.ask(question, [FIRST])
        assert answer.status == "answered" and answer.notices[0] == CARRIED, question
    for question in ("is it going to rain tomorrow", "is that a good film to watch tonight"):
        assert bot.ask(question, [FIRST]).status == "no_match", question


def test_a_follow_up_about_the_person_the_conversation_is_about_continues(bot: QABot) -> None:
    earlier = ["my mum's mri said she has cerebellar atrophy, what is that", "will it get worse"]
    for question in ("what can they do for her", "what can doctors do to help him"):
        answer = bot.ask(question, earlier)
        assert answer.status == "answered" and answer.notices[0] == CARRIED, question
    for question in ("can she renew her passport online", "what should we cook for him tonight"):
        assert bot.ask(question, earlier).status == "no_match", question


def test_a_short_fragment_continues_on_its_words_and_an_off_topic_one_does_not(bot: QABot) -> None:
    # Too short to be close in meaning to anything: the topic's words decide, in both directions.
    earlier = [FIRST, "is it hereditary"]
    for fragment in ("and my speech", "and his balance"):
        answer = bot.ask(fragment, earlier)
        assert answer.status == "answered" and answer.notices[0] == CARRIED, fragment
    for fragment in ("and my car insurance", "what about my pension", "and my taxes", "can you recommend a hotel"):
        assert bot.ask(fragment, earlier).status == "no_match", fragment


def test_a_question_naming_another_condition_starts_over_and_the_topic_is_not_carried_past_it(bot: QABot) -> None:
    earlier = [FIRST, "what causes it"]
    for question in ("how is carpal tunnel syndrome treated", "can you die from pneumonia", "is lupus contagious"):
        assert bot.ask(question, earlier).status == "no_match", question  # the seed says nothing of them
    assert bot.ask("and is it hereditary", [*earlier, "can you die from pneumonia"]).status == "no_match"


def test_a_condition_the_topic_speaks_of_or_one_pointed_back_to_is_still_a_follow_up(bot: QABot) -> None:
    for question in ("and what about tremors", "does it cause headaches", "is this linked to dementia"):
        answer = bot.ask(question, [FIRST])
        assert answer.status == "answered" and answer.notices[0] == CARRIED, question


def test_condition_names_are_found_by_all_their_words() -> None:
    names = ConditionNames(["Carpal Tunnel Syndrome", "Lupus", "Breast cancer", "Lupus"])
    carpal = content_words("carpal tunnel syndrome")
    assert names.named(content_words("how is carpal tunnel syndrome treated")) == (carpal,)
    assert names.named(content_words("is my lupus getting worse")) == (content_words("lupus"),)
    assert names.named(content_words("what about the tunnel under the breast")) == ()
    assert content_words("pneumonia") in condition_names().named(content_words("can you die from pneumonia"))


def test_a_question_naming_a_topic_starts_over(bot: QABot) -> None:
    answer = bot.ask("What are the symptoms of cerebellar atrophy?", [FIRST, "and how is it treated?"])
    assert answer.status == "answered" and CARRIED not in answer.notices
    assert answer.quotes[0].text.startswith("The symptoms of cerebro cerebellar volume loss")


@pytest.fixture(scope="module")
def two_topics(seed_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> QABot:
    """Two documents that answer "how is it treated?" about equally."""
    root = tmp_path_factory.mktemp("two-topics")
    (root / "corpus").mkdir()
    write_document(root / "corpus", "tremor", "Essential tremor", "test",
                   "Essential tremor is shaking of the hands. It is treated with medicines and physical therapy.\n")
    write_document(root / "corpus", "nystagmus", "Nystagmus", "test",
                   "Nystagmus is a rhythmic movement of the eyes. It is treated with glasses, medicines or surgery.\n")
    settings = replace(seed_settings, corpus_dir=root / "corpus", index_dir=root / "index")
    build_index(settings, embedder)
    return QABot.load(settings)


def test_several_topics_fitting_equally_get_a_question_back_and_a_choice_answers(two_topics: QABot) -> None:
    answer = two_topics.ask("how is it treated?")
    assert answer.status == "clarify" and answer.quotes == ()
    assert answer.notices == (Notice("clarify", texts().clarify),)
    assert set(answer.choices) == {"Essential tremor", "Nystagmus"}
    chosen = two_topics.ask("how is it treated?", ["Nystagmus"])  # what a choice button sends
    assert chosen.status == "answered" and {q.doc_id for q in chosen.quotes} == {"nystagmus"}
    assert chosen.notices[0] == Notice("context", texts().context_topic.format(title="Nystagmus"))


@pytest.mark.parametrize(("second_title", "asked_back"), [("Essential Tremor", False), ("Familial tremor", True)])
def test_pages_of_one_condition_fitting_equally_are_not_a_choice(
    seed_settings: Settings, embedder: Embedder, tmp_path: Path, second_title: str, asked_back: bool
) -> None:
    (tmp_path / "corpus").mkdir()
    treated = "is shaking of the hands. It is treated with medicines and physical therapy"
    write_document(tmp_path / "corpus", "tremor-a", "Essential tremor", "test", f"Essential tremor {treated}.\n")
    write_document(tmp_path / "corpus", "tremor-b", second_title, "test", f"{second_title} {treated} or surgery.\n")
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    answer = QABot.load(settings).ask("how is it treated?")
    assert (answer.status == "clarify") == asked_back
    assert set(answer.choices) == ({"Essential tremor", second_title} if asked_back else set())


def test_the_cli_reads_conversations_separated_by_blank_lines(
    bot: QABot, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("QA_BOT_CORPUS", str(bot.settings.corpus_dir))
    isolated_env.setenv("QA_BOT_INDEX", str(bot.settings.index_dir))
    lines = [FIRST, "and how is it treated?", "", "and how is it treated?"]
    isolated_env.setattr(sys, "stdin", io.StringIO("\n".join(lines)))
    assert main(["ask", "--json", "--conversation", "--file", "-"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["status"] for a in answers] == ["answered", "answered", "no_match"]
    assert answers[1]["notices"][0] == {"kind": "context", "text": CARRIED.text}
    isolated_env.setattr(sys, "stdin", io.StringIO("\n".join(lines)))
    assert main(["ask", "--json", "--file", "-"]) == 0  # without --conversation every line stands alone
    assert [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()][1] == "no_match"




@pytest.mark.parametrize(
    ("question", "kind"),
    [("is it hereditary, will my kids get it", "inheritance"), ("will I end up in a wheelchair", "outlook")],
)
def test_an_aspect_the_documents_do_not_cover_is_said_plainly_before_the_nearest_passages(
    bot: QABot, question: str, kind: str
) -> None:
    answer = bot.ask(question, [FIRST])
    missing = Notice("not_covered", texts().not_covered_templates[kind].format(title=SEED_TITLE))
    assert answer.status == "answered" and answer.notices[:2] == (CARRIED, missing) and answer.quotes


@pytest.mark.parametrize(
    "question", ["how fast does it progress", "can exercise help", "what kind of doctor should I see"]
)
def test_follow_ups_on_other_aspects_are_carried_too(bot: QABot, question: str) -> None:
    answer = bot.ask(question, [FIRST])
    assert answer.status == "answered" and answer.notices[0] == CARRIED
    assert not any(n.kind == "not_covered" for n in bot.ask("how is it treated?", [FIRST]).notices)


@pytest.mark.parametrize(("earlier", "question", "first"), [
    ("my grandad's scan showed cerebellar atrophy", "what part of the brain is that", "The cerebellum is located"),
    ("my wife has cerebellar atrophy and tremors", "what medicine helps tremors", "In some cases, medications"),
    ("my mother was told she has cerebellar atrophy", "can medication help", "In some cases, medications"),
])
def test_a_follow_up_gets_the_passage_closest_to_it_not_the_overview_that_repeats_the_title(
    bot: QABot, earlier: str, question: str, first: str
) -> None:
    answer = bot.ask(question, [earlier])
    assert answer.notices[0] == CARRIED
    assert answer.quotes[0].text.startswith(first), answer.quotes[0].text[:60]

"""Emergencies in words no pattern lists: the reviewed examples nearest in meaning (qa_bot/safety_neighbours.py),
read with the real model, as `ask` reads them."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot
from qa_bot.safety import check
from qa_bot.safety_neighbours import EmergencyNeighbours, Example, NeighbourRule, neighbour_rule

ROOT = Path(__file__).resolve().parent.parent

# Written for these tests, after the rule was chosen: the patterns miss each one (asserted below).
BEYOND_THE_PATTERNS = [
    "the little one next door got into the cupboard under the sink and is drooling and coughing",
    "the kid next door fell in the pond and was under for a bit, hes coughing and floppy",
    "my brother cut his leg on the chainsaw and it keeps coming out",
    "my husband is sweating buckets and says his chest feels like it is in a vice",
    "my mother has not been able to pee since yesterday and her tummy is rock hard and sore",
]
# Near misses worded like emergencies: neither the patterns nor the examples escalate them.
CALM = [
    "how do you tell the difference between a panic attack and a heart attack",
    "my dad had a stroke three years ago and still slurs a little when tired, will that improve",
    "what should i do if someone near me has a seizure",
    "can a bee sting allergy get worse with each sting",
    "my son has had a cough for two weeks but is eating and playing fine",
    "is a purple rash always meningitis",
    "my mum gets dizzy when she stands up too fast, it passes in a few seconds",
    "what are the signs of pre-eclampsia to watch for in late pregnancy",
    "how can i help a friend who told me last year they had thought about suicide",
    "my grandad has had swollen ankles for months, the gp is monitoring it",
    "what is the safe dose of paracetamol for an adult",
    "can floaters in the eye be a normal part of ageing",
    "what happens at a and e when you go in with chest pain",
    "i fell off my bike last week and my knee is still a bit bruised",
    "my toddler bumped her head on the table yesterday, she has a lump but is her usual self",
    "how much blood do you lose in a normal period",
    "my husband never answers his phone at work",  # a habit denied, though its neighbours are all emergencies
    "what about tablets",  # a follow-up on treatment, too short to be read by meaning: among overdoses only
]


@pytest.mark.parametrize("question", BEYOND_THE_PATTERNS)
def test_close_in_meaning_escalates_what_the_patterns_miss(bot: QABot, question: str) -> None:
    assert not check(question).urgent
    found = bot.safety_check(question)
    assert found.emergencies == ("close in meaning",)
    assert found.messages[0] == "emergency"
    answer = bot.ask(question)
    assert answer.notices[0].kind == "emergency"


@pytest.mark.parametrize("question", CALM)
def test_near_misses_stay_calm(bot: QABot, question: str) -> None:
    assert not bot.safety_check(question).urgent
    assert all(n.kind not in ("emergency", "crisis") for n in bot.ask(question).notices)


def test_only_what_is_searched_whole_is_compared(bot: QABot) -> None:
    # A long message's asking part is searched alone; its sentences are read by the patterns only.
    story = ("Sorry to bother you, I am writing for my neighbour who does not speak much English. "
             "She has lived alone since her husband passed and I check on her most days. ")
    question = story + BEYOND_THE_PATTERNS[0] + ". What should I do?"
    assert not check(question).urgent
    assert not bot.safety_check(question).urgent
    assert bot.safety_check(BEYOND_THE_PATTERNS[0]).urgent


def test_a_long_story_is_not_compared(small: EmergencyNeighbours) -> None:
    close = _unit(1, 0.1, 0, 0)
    assert small.check(check("a"), "a" * 40, close).urgent
    assert not small.check(check("a"), "a" * 41, close).urgent


def test_examples_are_the_dev_lines_of_the_patient_sets() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "safety_examples.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_held_out_line_is_an_example() -> None:
    examples = {e.text for e in neighbour_rule().examples}
    held_out = [json.loads(line)["text"] for path in (ROOT / "bench" / "patients").glob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and json.loads(line).get("split") == "held_out" and "text" in json.loads(line)]
    assert len(held_out) > 600
    assert not examples & set(held_out)


def _unit(*weights: float) -> np.ndarray:
    vector = np.array(weights, dtype=np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def small() -> EmergencyNeighbours:
    examples = (Example("a", "emergency", "one"), Example("b", "self_harm_crisis", "two"),
                Example("c", None, "one"), Example("d", "emergency", "two"))
    vectors = np.stack([_unit(1, 0, 0, 0), _unit(0.9, 0.1, 0, 0), _unit(0, 0, 1, 0), _unit(0.8, 0.2, 0, 0)])
    return EmergencyNeighbours(NeighbourRule("close in meaning", 3, 0.5, 40, examples), vectors)


def test_all_k_nearest_must_show_a_notice(small: EmergencyNeighbours) -> None:
    assert small.messages(_unit(1, 0.1, 0, 0)) == ("emergency", "self_harm_crisis")  # a, b, d: most frequent first
    assert small.messages(_unit(0.5, 0, 1, 0)) == ()  # c, a near miss, is among the three


def test_the_nearest_must_be_close_enough(small: EmergencyNeighbours) -> None:
    assert small.messages(_unit(0.3, 0, 0, 1)) == ()  # a, b, d the nearest, but a is only 0.29 close


def test_without_drops_a_set(small: EmergencyNeighbours) -> None:
    rest = small.without({"one"})
    assert [e.text for e in rest.rule.examples] == ["b", "d"]
    assert rest.messages(_unit(1, 0.1, 0, 0)) == ("self_harm_crisis", "emergency")


@pytest.mark.parametrize("question", ["what causes a sickle cell crisis", "symptoms of sepsis in babies",
                                      "how is a blood clot in the lung treated", "treatment for a snake bite",
                                      "will my dad be able to walk again", "whats that song that goes i cant breathe"])
def test_a_question_about_a_condition_in_general_is_not_escalated(small: EmergencyNeighbours, question: str) -> None:
    general = EmergencyNeighbours(replace(small.rule, asked_in_general=neighbour_rule().asked_in_general),
                                  small._vectors)
    close = _unit(1, 0.1, 0, 0)  # a, b, d: all three show a notice
    assert general.check(check(question), question, close) == check(question)
    now = "sickle cell pain started an hour ago"
    assert general.check(check(now), now, close).emergencies == ("close in meaning",)


def test_a_template_question_among_crises_only_stays_calm(bot: QABot) -> None:
    # from MedQuAD (questions_dev.jsonl, CC BY 4.0): its ten nearest examples are all sickle cell crises
    question = "What causes Sickle Cell Disease ?"
    assert not bot.safety_check(question).urgent
    assert not bot.ask(question).notices or bot.ask(question).notices[0].kind != "emergency"


def test_a_question_on_the_outlook_stays_calm(bot: QABot) -> None:
    # a seed follow-up (bench/patients conversations) whose ten nearest examples are all falls of older mothers
    assert not bot.safety_check("will my mum end up in a wheelchair").urgent
    assert bot.safety_check("my mum fell and cant get up, will she end up in a wheelchair").urgent


def test_pattern_escalations_are_kept(small: EmergencyNeighbours) -> None:
    found = check("my dad collapsed and is not breathing")
    assert small.check(found, "my dad collapsed", _unit(0, 0, 1, 0)) == found


def test_unknown_notices_are_refused(tmp_path: Path) -> None:
    patterns = tmp_path / "safety_patterns.toml"
    patterns.write_text('[neighbours]\nname = "x"\nexamples = "e.jsonl"\nk = 3\nmin_similarity = 0.5\nmax_chars = 9\n')
    (tmp_path / "e.jsonl").write_text('{"text": "a", "message": "panic", "source": "s"}\n'
                                      '{"text": "b", "message": null, "source": "s"}\n')
    with pytest.raises(ValueError, match="unknown notices"):
        neighbour_rule(patterns)

"""Patients' wording on the seed corpus: first questions, conversations, emergencies (issue 14).

    python bench/patients.py        # make bench-patients; writes bench/results/patients.{json,md}
    python bench/patients.py --dev  # while tuning: the dev lines only, printed, nothing written

The sets are in bench/patients/ (see its README), each line with `split` "dev" or "held_out";
both parts are reported, each round's sets (`*_more`, `*_fourth`, ...) apart. Only dev lines are listed.
The bot is the product's: the shipped corpus's seed document, a fresh index, questions embedded as
when serving.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from qa_bot import QABot, Settings
from qa_bot.config import PROJECT_ROOT
from qa_bot.embedding import shared_embedder
from qa_bot.indexing import build_index
from qa_bot.safety_neighbours import EmergencyNeighbours
from qa_bot.safety_reading import SafetyCheck

SETS = PROJECT_ROOT / "bench" / "patients"
RESULTS = PROJECT_ROOT / "bench" / "results"
SPLITS = ("dev", "held_out")
LIBRARY_SETS = PROJECT_ROOT / "bench" / "library"
CONTEXT = "my MRI says mild cerebellar volume loss what does that mean"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _hits(bot: QABot, question: str, conversation: list[str], expect: list[str]) -> tuple[bool, bool]:
    """Whether the first quote, and whether any of the quotes, contains one of the expected phrases."""
    quotes = bot.ask(question, conversation).quotes
    found = [any(phrase in quote.text for phrase in expect) for quote in quotes]
    return bool(found and found[0]), any(found[:3])


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def first_questions(bot: QABot, name: str = "first_questions", splits: tuple[str, ...] = SPLITS) -> dict:
    """Right passage first and in the top 3, per split."""
    rows = _lines(SETS / f"{name}.jsonl")
    report = {}
    for split in splits:
        hits = [_hits(bot, r["question"], [], r["expect"]) for r in rows if r["split"] == split]
        misses = [r["question"] for r, h in zip((r for r in rows if r["split"] == split), hits, strict=True)
                  if not h[0]]
        report[split] = {"questions": len(hits), "first": _share([h[0] for h in hits]),
                         "top3": _share([h[1] for h in hits]), **({"missed_first": misses} if split == "dev" else {})}
    return report


def conversations(bot: QABot, name: str = "conversations", splits: tuple[str, ...] = SPLITS) -> dict:
    """Follow-up turns (right passage first, top 3) and off-topic turns refused, per split."""
    report = {}
    for split in splits:
        follow, refused, misses = [], [], []
        for row in (r for r in _lines(SETS / f"{name}.jsonl") if r["split"] == split):
            earlier: list[str] = []
            for number, turn in enumerate(row["turns"]):
                if turn["expect"] is None:
                    refused.append(bot.ask(turn["question"], earlier).status == "no_match")
                elif number > 0:
                    hit = _hits(bot, turn["question"], earlier, turn["expect"])
                    follow.append(hit)
                    if not hit[0]:
                        misses.append(" / ".join([*earlier, turn["question"]]))
                earlier.append(turn["question"])
        report[split] = {"follow_up_turns": len(follow), "first": _share([h[0] for h in follow]),
                         "top3": _share([h[1] for h in follow]), "off_topic_turns": len(refused),
                         "off_topic_refused": _share(refused), **({"missed_first": misses} if split == "dev" else {})}
    return report


def emergencies(bot: QABot, suffix: str = "") -> dict | None:
    """Escalation recall and false escalations, when the sets and their measurement exist, as `ask` reads
    them (`QABot.safety_check`: the patterns, then the examples nearest in meaning). The dev lines are
    examples themselves (bench/safety_examples.py), so each set's dev lines are read without the examples
    of that set; held-out lines, never examples, with all of them."""
    try:
        from qa_eval.safety_eval import escalation_report
    except ImportError:
        return None
    if not (SETS / f"emergencies{suffix}.jsonl").is_file():
        return None
    others = bot.neighbours.without({f"emergencies{suffix}", f"informational{suffix}"})
    return escalation_report(SETS / f"emergencies{suffix}.jsonl", SETS / f"informational{suffix}.jsonl",
                             bot.safety_check, _with_neighbours(bot, others))


def _with_neighbours(bot: QABot, neighbours: EmergencyNeighbours) -> Callable[[str], SafetyCheck]:
    """`bot.safety_check` with other examples nearest in meaning."""
    def read(text: str) -> SafetyCheck:
        kept, bot.neighbours = bot.neighbours, neighbours
        try:
            return bot.safety_check(text)
        finally:
            bot.neighbours = kept
    return read


# The sets of each round: the first written with the benchmark, the second (`*_more`) for its second round,
# the ninth (`*_ninth`) for the sixth round of issue 14 before any of its changes, the forty-sixth
# (`*_fortysixth`) by a helper who read only the seed document, before any change of its session.
ROUNDS = {"first sets": "", "second sets": "_more", "ninth sets": "_ninth", "forty-sixth sets": "_fortysixth"}
# First questions only (`first_questions_fourth.jsonl`): written for issue 16's second round before its ranking
# changes; every third line held_out.
FIRST_ONLY = {"fourth sets": "_fourth"}
# Emergency phrasings and near misses only: written for the third round (`*_third`, all dev, tuned on, so
# never a held-out figure) and the fourth (`*_fourth`, every third line held out) before their detection
# changes, the fifth (`*_fifth`, all dev) written to probe the fourth round's dev changes, and the sixth
# (`*_sixth`, every third line held out) written for the fifth round before its detection changes, and the
# seventh and eighth (`*_seventh`, `*_eighth`, all dev) written to probe that round with new wording, and the
# tenth (`*_tenth`, every third line held out) written by a helper that saw neither the patterns nor earlier sets,
# and the eleventh (`*_eleventh`, all dev) written the same way to probe that round with new wording, and the
# twelfth (`*_twelfth`, every third line held out) written the same way before the eighth round's changes, and
# the thirteenth and fourteenth (`*_thirteenth`, `*_fourteenth`, all dev) written the same way to probe that round,
# and the fifteenth (`*_fifteenth`, every third line held out) written the same way after it, and the sixteenth
# (`*_sixteenth`, all dev), near misses first, to probe the ninth round, and the seventeenth (`*_seventeenth`, all
# dev), typed in a panic on a phone, to probe the tenth, and the eighteenth (`*_eighteenth`, every third line held
# out), written the same way before the eleventh round: polite, long-winded messages, older adults and carers, and the
# nineteenth (`*_nineteenth`, every third line held out), written the same way after it: young people, slang, parties,
# and the twentieth and twenty-first (every third line held out), written the same way after the twelfth: people living
# with ataxia and their carers, a new acute sign told beside their lasting ones; rarer emergencies and unusual tellings;
# and the twenty-second (every third line held out), after the thirteenth: emergencies asked as questions, hedged,
# and the twenty-third (every third line held out), after the fourteenth: dictated run-ons, symptom lists, notes,
# and the twenty-fourth (every third line held out), after the fifteenth: near misses first, from people with ataxia,
# and the twenty-fifth (every third line held out), after the sixteenth: English as a second language, word-by-word
# translations, and the twenty-sixth (every third line held out), after the seventeenth: pregnancy, birth, newborns,
# and the twenty-seventh (`*_twentyseventh`, all dev), written the same way to probe that field further, and the
# twenty-eighth (every third line held out), after the eighteenth: people living with a long-term condition, and the
# twenty-ninth (`*_twentyninth`, all dev), written the same way before that round's changes: older people and carers,
# and the thirtieth (every third line held out), after the twentieth: accidents and injuries, and the thirty-first
# (every third line held out), after the twenty-first: crises told indirectly, and the thirty-second
# (`*_thirtysecond`, all dev), written the same way to probe that field further, and the thirty-third (every third
# line held out), after the twenty-second: sexual, reproductive, urinary and genital emergencies, and the thirty-fourth
# (every third line held out), after the examples nearest in meaning came in: a mix of every kind, as a chat gets them,
# and the thirty-fifth (every third line held out), near misses first, worded like emergencies, and emergencies worded
# like near misses, and the thirty-sixth (every third line held out): suicide and self-harm crises, mostly hinted, and
# the thirty-seventh (every third line held out): short messages typed fast on a phone, and the thirty-eighth (every
# third line held out): carers and relatives of older people and of people with a lasting condition, and the
# thirty-ninth (every third line held out): emergencies told hesitantly or casually, by young people and people away,
# and the fortieth (every third line held out): long stories with the emergency inside, and the forty-first (every
# third line held out): emergencies told only by what is felt or seen, never named, and the forty-second (every third
# line held out): people responsible for someone outside the family (teachers, coaches, first-aiders, staff,
# strangers), and the forty-third (every third line held out): health anxiety, near misses first, and the
# forty-fourth (every third line held out): outdoors, at work and travelling, and the forty-fifth (every third line
# held out): the many Englishes and registers people write in, and the forty-seventh (every third line held out):
# crises and emergencies told indirectly or understated, and the forty-eighth (every third line held out): children,
# and the forty-ninth (every third line held out): drugs, alcohol, nightlife and festivals, and the fiftieth (every
# third line held out): long-term conditions and recent treatment, and the fifty-first (every third line held out):
# older people and those who care for them, and the fifty-second (every third line held out): eyes, ears, mouth,
# skin, genitals and the other parts people do not think of as emergencies, and the fifty-third (every third line
# held out): outdoors, at work, travelling and in sport, and the fifty-fourth (every third line held out): emergencies
# inside messages about a lasting brain or nerve condition, and the fifty-fifth (every third line held out): a mix of
# every kind, as an ordinary week of a chat gets them, and the fifty-sixth (every third line held out): people with
# complex needs and those who care for them, and the fifty-seventh (every third line held out): the belly, bowel and
# bladder, the heart and circulation, and the fifty-eighth (every third line held out): infections and sepsis; eyes,
# ears, nose, throat and mouth; skin and allergy, and the fifty-ninth (every third line held out): diabetes, the
# kidneys, blood thinners, medicines taken wrongly, heat and cold, and crises told indirectly, and the sixtieth
# (every third line held out): the commonest emergencies in the plainest words, typed on a phone, and the sixty-first
# (every third line held out): crises (40 of 60) and the overdoses and wounds beside them, and the sixty-second
# (every third line held out): pregnancy, birth and the weeks after, babies, children and teenagers.
EMERGENCY_ONLY = {"third sets": "_third", "fourth sets": "_fourth", "fifth sets": "_fifth", "sixth sets": "_sixth",
                  "seventh sets": "_seventh", "eighth sets": "_eighth", "tenth sets": "_tenth",
                  "eleventh sets": "_eleventh", "twelfth sets": "_twelfth",
                  "thirteenth sets": "_thirteenth", "fourteenth sets": "_fourteenth",
                  "fifteenth sets": "_fifteenth", "sixteenth sets": "_sixteenth",
                  "seventeenth sets": "_seventeenth", "eighteenth sets": "_eighteenth",
                  "nineteenth sets": "_nineteenth",
                  "twentieth sets": "_twentieth", "twenty-first sets": "_twentyfirst",
                  "twenty-second sets": "_twentysecond", "twenty-third sets": "_twentythird",
                  "twenty-fourth sets": "_twentyfourth", "twenty-fifth sets": "_twentyfifth",
                  "twenty-sixth sets": "_twentysixth", "twenty-seventh sets": "_twentyseventh",
                  "twenty-eighth sets": "_twentyeighth", "twenty-ninth sets": "_twentyninth",
                  "thirtieth sets": "_thirtieth", "thirty-first sets": "_thirtyfirst",
                  "thirty-second sets": "_thirtysecond", "thirty-third sets": "_thirtythird",
                  "thirty-fourth sets": "_thirtyfourth", "thirty-fifth sets": "_thirtyfifth",
                  "thirty-sixth sets": "_thirtysixth", "thirty-seventh sets": "_thirtyseventh",
                  "thirty-eighth sets": "_thirtyeighth", "thirty-ninth sets": "_thirtyninth",
                  "fortieth sets": "_fortieth", "forty-first sets": "_fortyfirst",
                  "forty-second sets": "_fortysecond", "forty-third sets": "_fortythird",
                  "forty-fourth sets": "_fortyfourth", "forty-fifth sets": "_fortyfifth",
                  "forty-seventh sets": "_fortyseventh", "forty-eighth sets": "_fortyeighth",
                  "forty-ninth sets": "_fortyninth", "fiftieth sets": "_fiftieth",
                  "fifty-first sets": "_fiftyfirst", "fifty-second sets": "_fiftysecond",
                  "fifty-third sets": "_fiftythird", "fifty-fourth sets": "_fiftyfourth",
                  "fifty-fifth sets": "_fiftyfifth", "fifty-sixth sets": "_fiftysixth",
                  "fifty-seventh sets": "_fiftyseventh", "fifty-eighth sets": "_fiftyeighth",
                  "fifty-ninth sets": "_fiftyninth", "sixtieth sets": "_sixtieth",
                  "sixty-first sets": "_sixtyfirst", "sixty-second sets": "_sixtysecond"}


def on_library(scratch: Path, splits: tuple[str, ...]) -> dict:
    """Every round's first questions asked of the shipped corpus (the seed and the NIH library, a fresh
    index), as patients meet it: the seed's expected passage first and in the top 3, per split (strict:
    another page on the same subject counts as a miss)."""
    settings = Settings.from_env(corpus_dir=PROJECT_ROOT / "corpus", index_dir=scratch / "library-index")
    build_index(settings, shared_embedder(settings.model))
    bot = QABot.load(settings)
    report = {}
    for split in splits:
        parts = [first_questions(bot, f"first_questions{suffix}", (split,))[split]
                 for suffix in (*ROUNDS.values(), *FIRST_ONLY.values())]
        count = sum(p["questions"] for p in parts)
        shares = {key: round(sum(p[key] * p["questions"] for p in parts) / count, 3) for key in ("first", "top3")}
        report[split] = {"questions": count, **shares}
    return report


def other_conditions_after_context(bot: QABot, splits: tuple[str, ...] = SPLITS) -> dict:
    """The other conditions of bench/library's off-topic sets ("is lupus contagious"), each asked after a
    first question on the seed: how many are refused (the seed covers none of them), per split."""
    rows = [r for name in ("off_topic", "off_topic_more") for r in _lines(LIBRARY_SETS / f"{name}.jsonl")
            if r["kind"] == "other_disease"]
    report = {}
    for split in splits:
        refused = [bot.ask(r["question"], [CONTEXT]).status == "no_match" for r in rows if r["split"] == split]
        report[split] = {"questions": len(refused), "refused": sum(refused)}
    return report


def _markdown(report: dict, first_only: dict, emergency_only: dict, splits: tuple[str, ...], library: dict,
              other: dict) -> str:
    lines = ["# Patients' wording on the seed corpus (generated by `make bench-patients`)", "",
             "| sets | set | split | items | right passage first | in the top 3 | other |",
             "|---|---|---|---|---|---|---|"]
    for round_name, part in report.items():
        for split in splits:
            f = part["first_questions"][split]
            lines.append(f"| {round_name} | first questions | {split} | {f['questions']} | {f['first']} | "
                         f"{f['top3']} | |")
        for split in splits:
            c = part["conversations"][split]
            lines.append(f"| {round_name} | follow-up turns | {split} | {c['follow_up_turns']} | {c['first']} | "
                         f"{c['top3']} | off-topic refused {c['off_topic_refused']} of {c['off_topic_turns']} |")
        if part.get("emergencies"):
            for split in splits:
                e = part["emergencies"][split]
                lines.append(f"| {round_name} | emergencies | {split} | {e.get('emergencies', '')} | | | recall "
                             f"{e['recall']:.3f}, false escalations {e.get('false_escalations')} of "
                             f"{e.get('informational', '')} |")
    for round_name, part in first_only.items():
        for split in splits:
            f = part[split]
            lines.append(f"| {round_name} | first questions | {split} | {f['questions']} | {f['first']} | "
                         f"{f['top3']} | |")
    for round_name, by_split in emergency_only.items():
        for split, e in by_split.items():
            lines.append(f"| {round_name} | emergencies | {split} | {e['emergencies']} | | | recall "
                         f"{e['recall']:.3f}, false escalations {e['false_escalations']} of {e['informational']} |")
    for split, o in other.items():
        lines.append(f"| bench/library's other conditions | after a seed question | {split} | {o['questions']} | | | "
                     f"refused {o['refused']} of {o['questions']} |")
    for split, f in library.items():
        lines.append(f"| all sets, on the shipped corpus | first questions | {split} | {f['questions']} | "
                     f"{f['first']} | {f['top3']} | the seed's passage, strict |")
    lines += ["", "Dev misses (right passage not first; emergencies missed; informational escalated):", ""]
    for part in report.values():
        lines += [f"- {q}" for q in part["first_questions"]["dev"]["missed_first"]]
        lines += [f"- {q}" for q in part["conversations"]["dev"]["missed_first"]]
    for part in first_only.values():
        lines += [f"- {q}" for q in part["dev"]["missed_first"]]
    rounds = [p["emergencies"]["dev"] for p in report.values() if p.get("emergencies")]
    for dev in [*rounds, *(by_split["dev"] for by_split in emergency_only.values())]:
        lines += [f"- missed: {q}" for q in dev["missed"]]
        lines += [f"- escalated: {q}" for q in dev["falsely_escalated"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    tuning = argv == ["--dev"]
    splits = ("dev",) if tuning else SPLITS
    with tempfile.TemporaryDirectory(prefix="qa-bot-patients-") as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        shutil.copy(PROJECT_ROOT / "corpus" / "cerebellar-volume-loss.md", corpus)
        settings = Settings.from_env(corpus_dir=corpus, index_dir=Path(scratch) / "index")
        build_index(settings, shared_embedder(settings.model))
        bot = QABot.load(settings)
        report = {name: {"first_questions": first_questions(bot, f"first_questions{suffix}", splits),
                         "conversations": conversations(bot, f"conversations{suffix}", splits),
                         "emergencies": emergencies(bot, suffix)}
                  for name, suffix in ROUNDS.items()}
        first_only = {name: first_questions(bot, f"first_questions{suffix}", splits)
                      for name, suffix in FIRST_ONLY.items()}
        emergency_only = {name: {split: e[split] for split in splits if e[split]["emergencies"]}
                          for name, suffix in EMERGENCY_ONLY.items() if (e := emergencies(bot, suffix))}
        other = other_conditions_after_context(bot, splits)
        library = on_library(Path(scratch), splits)
    text = _markdown(report, first_only, emergency_only, splits, library, other)
    if tuning:
        print(text)
        return 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    full = {**report}
    for name, f in first_only.items():
        full.setdefault(name, {})["first_questions"] = f
    for name, e in emergency_only.items():
        full.setdefault(name, {})["emergencies_only"] = e
    full["shipped corpus"] = {"first_questions": library}
    full["other conditions after a seed question"] = other
    (RESULTS / "patients.json").write_text(json.dumps(full, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "patients.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

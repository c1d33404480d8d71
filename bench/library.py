"""The shipped corpus (the NIH cerebellar library beside the seed) asked as patients ask it (issue 16).

    python bench/library.py [../shared/eval]   # make bench-library; writes bench/results/library.{json,md}
    python bench/library.py --dev [...]        # while tuning: the dev parts only, printed, nothing written

Four sets, every one through `QABot.ask` on a fresh index of the project's `corpus/` (questions
embedded as when serving):
- bench/library/questions.jsonl: patients' wording about the library's pages; right page first
  (the first quote from one of its `doc_ids`), and refused wrongly. Dev and held_out apart.
- MedQuAD dev questions (`questions_dev.jsonl`) whose answer lies in a shipped page: doc_hit1 (the
  first quote's document is relevant) and passage_hit1 (the first quote overlaps an answer span),
  only the shipped pages counting; and how many are refused.
- bench/library/off_topic.jsonl: other diseases and everyday topics; how many are answered.
- The second sets (`questions_more.jsonl`, `off_topic_more.jsonl`), written before the second round's
  ranking changes, measured and reported the same way, apart from the first.
- The seed alone: `bench/patients.py` measures it (run `make bench-patients`).
Exits 2 when the eval folder is absent.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from qa_bot import QABot, Settings
from qa_bot.config import PROJECT_ROOT
from qa_bot.embedding import shared_embedder
from qa_bot.indexing import build_index
from qa_eval.data import Question, Span, load_questions, overlaps

SETS = PROJECT_ROOT / "bench" / "library"
RESULTS = PROJECT_ROOT / "bench" / "results"
SPLITS = ("dev", "held_out")
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def patient_questions(bot: QABot, splits: tuple[str, ...] = SPLITS, name: str = "questions") -> dict:
    """Per split: right page first, and wrongly refused (no quote at all)."""
    rows = _lines(SETS / f"{name}.jsonl")
    report = {}
    for split in splits:
        first, refused, misses = [], [], []
        for row in (r for r in rows if r["split"] == split):
            quotes = bot.ask(row["question"]).quotes
            hit = bool(quotes) and quotes[0].doc_id in row["doc_ids"]
            first.append(hit)
            refused.append(not quotes)
            if not hit and split == "dev":
                misses.append(f"{row['question']} -> {quotes[0].doc_id if quotes else 'refused'}")
        report[split] = {"questions": len(first), "right_page_first": _share(first),
                         "wrongly_refused": _share(refused), **({"missed": misses} if split == "dev" else {})}
    return report


def in_library(questions: list[Question], library: set[str]) -> list[Question]:
    """The questions with an answer span in a shipped page, restricted to the shipped pages."""
    kept = []
    for q in questions:
        spans = tuple(s for s in q.answer_passages if s.doc_id in library)
        if spans:
            relevant = tuple(d for d in q.relevant_doc_ids if d in library)
            kept.append(Question(q.qid, q.text, relevant, spans))
    return kept


def _hit(spans: tuple[Span, ...], doc_id: str, start: int, end: int) -> bool:
    return any(overlaps(s, doc_id, start, end) for s in spans)


def medquad_questions(bot: QABot, questions: list[Question]) -> dict:
    """doc_hit1, passage_hit1 and wrongly refused over the MedQuAD questions answered by the library."""
    doc, passage, refused = [], [], []
    for q in questions:
        quotes = bot.ask(q.text).quotes
        doc.append(bool(quotes) and quotes[0].doc_id in q.relevant_doc_ids)
        passage.append(bool(quotes) and _hit(q.answer_passages, quotes[0].doc_id, quotes[0].start, quotes[0].end))
        refused.append(not quotes)
    return {"questions": len(questions), "doc_hit1": _share(doc), "passage_hit1": _share(passage),
            "wrongly_refused": _share(refused)}


def off_topic(bot: QABot, splits: tuple[str, ...] = SPLITS, name: str = "off_topic") -> dict:
    """Per split and kind: how many off-topic questions were answered (any quote)."""
    rows = _lines(SETS / f"{name}.jsonl")
    report = {}
    for split in splits:
        answered, wrong = [], []
        for row in (r for r in rows if r["split"] == split):
            answer = bot.ask(row["question"])
            answered.append(bool(answer.quotes))
            if answer.quotes and split == "dev":
                wrong.append(f"{row['question']} -> {answer.quotes[0].doc_id}")
        report[split] = {"questions": len(answered), "wrongly_answered": _share(answered),
                         **({"answered": wrong} if split == "dev" else {})}
    return report


# The sets of each round: the first written with the benchmark, the second (`*_more`) for its second round.
ROUNDS = {"first sets": "", "second sets": "_more"}


def _markdown(report: dict) -> str:
    m = report["medquad_dev"]
    lines = [
        "# The shipped corpus: NIH cerebellar library and the seed (`make bench-library`)", "",
        f"{report['corpus']['documents']} documents, {report['corpus']['passages']} passages; "
        f"min_relevance {report['corpus']['min_relevance']}.", "",
        "| sets | set | split | questions | figure | target |", "|---|---|---|---|---|---|",
    ]
    for round_name, suffix in ROUNDS.items():
        p = report[f"patient_questions{suffix}"]
        for split in SPLITS:
            row = p[split]
            lines.append(f"| {round_name} | patients' questions | {split} | {row['questions']} | right page first "
                         f"{row['right_page_first']:.3f}, wrongly refused {row['wrongly_refused']:.3f} | ≥ 0.85 |")
    lines.append(f"| | MedQuAD dev, answer in the library | dev | {m['questions']} | doc_hit1 {m['doc_hit1']:.3f}, "
                 f"passage_hit1 {m['passage_hit1']:.3f}, wrongly refused {m['wrongly_refused']:.3f} | ≥ 0.95, ≥ 0.80 |")
    for round_name, suffix in ROUNDS.items():
        o = report[f"off_topic{suffix}"]
        for split in SPLITS:
            lines.append(f"| {round_name} | off-topic | {split} | {o[split]['questions']} | wrongly answered "
                         f"{o[split]['wrongly_answered']:.3f} | ≤ 0.05 |")
    lines.append("")
    for round_name, suffix in ROUNDS.items():
        p, o = report[f"patient_questions{suffix}"], report[f"off_topic{suffix}"]
        lines.append(f"{round_name}, both splits together: patients' questions right page first "
                     f"{p['all']['right_page_first']:.3f} of {p['all']['questions']}; off-topic wrongly answered "
                     f"{o['all']['wrongly_answered']:.3f} of {o['all']['questions']}.")
    lines += ["", f"In-library questions wrongly refused (patients' dev and held_out, both rounds, MedQuAD): "
              f"{report['in_library_wrongly_refused']:.3f} (target ≤ 0.05).", "", "Dev misses:", ""]
    for suffix in ROUNDS.values():
        lines += [f"- {line}" for line in report[f"patient_questions{suffix}"]["dev"]["missed"]]
        lines += [f"- {line}" for line in report[f"off_topic{suffix}"]["dev"]["answered"]]
    return "\n".join(lines) + "\n"


def _dev_markdown(report: dict) -> str:
    """The dev parts only (`--dev`): figures and misses, no held_out line."""
    m = report["medquad_dev"]
    lines = [f"MedQuAD dev: {m['questions']}, doc_hit1 {m['doc_hit1']:.3f}, passage_hit1 {m['passage_hit1']:.3f}, "
             f"wrongly refused {m['wrongly_refused']:.3f}"]
    misses = []
    for round_name, suffix in ROUNDS.items():
        p, o = report[f"patient_questions{suffix}"]["dev"], report[f"off_topic{suffix}"]["dev"]
        lines += [f"{round_name}: patients' questions dev: {p['questions']}, right page first "
                  f"{p['right_page_first']:.3f}, wrongly refused {p['wrongly_refused']:.3f}",
                  f"{round_name}: off-topic dev: {o['questions']}, wrongly answered {o['wrongly_answered']:.3f}"]
        misses += p["missed"] + o["answered"]
    return "\n".join(lines + ["", "Dev misses:", ""] + [f"- {line}" for line in misses]) + "\n"


def _together(report: dict) -> None:
    """Both splits of each set together, and the in-library questions wrongly refused over all of them."""
    refused = report["medquad_dev"]["wrongly_refused"] * report["medquad_dev"]["questions"]
    asked = report["medquad_dev"]["questions"]
    for suffix in ROUNDS.values():
        p = report[f"patient_questions{suffix}"]
        for part, key in ((p, "right_page_first"), (report[f"off_topic{suffix}"], "wrongly_answered")):
            count = sum(part[s]["questions"] for s in SPLITS)
            total = sum(part[s][key] * part[s]["questions"] for s in SPLITS)
            part["all"] = {"questions": count, key: round(total / count, 4)}
        refused += sum(p[s]["wrongly_refused"] * p[s]["questions"] for s in SPLITS)
        asked += sum(p[s]["questions"] for s in SPLITS)
    report["in_library_wrongly_refused"] = round(refused / asked, 4)


def main(argv: list[str]) -> int:
    tuning = argv[:1] == ["--dev"]
    argv = argv[1:] if tuning else argv
    splits = ("dev",) if tuning else SPLITS
    eval_dir = Path(argv[0]) if argv else EVAL_DIR
    if not (eval_dir / "questions_dev.jsonl").is_file():
        print(f"{eval_dir} has no questions_dev.jsonl; give the folder of ../shared/eval.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="qa-bot-library-") as scratch:
        corpus = Path(scratch) / "corpus"
        shutil.copytree(PROJECT_ROOT / "corpus", corpus)
        settings = Settings.from_env(corpus_dir=corpus, index_dir=Path(scratch) / "index")
        build = build_index(settings, shared_embedder(settings.model))  # from prebuilt/ when it matches
        bot = QABot.load(settings)
        library = {d for d, doc in bot.stored.documents.items() if doc.review == "as_published"}
        questions = in_library(load_questions(eval_dir / "questions_dev.jsonl"), library)
        report = {
            "corpus": {"documents": build.documents, "passages": build.chunks, "min_relevance": settings.min_relevance},
            "medquad_dev": medquad_questions(bot, questions),
        }
        for suffix in ROUNDS.values():
            report[f"patient_questions{suffix}"] = patient_questions(bot, splits, f"questions{suffix}")
            report[f"off_topic{suffix}"] = off_topic(bot, splits, f"off_topic{suffix}")
    if tuning:
        print(_dev_markdown(report))
        return 0
    _together(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "library.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    text = _markdown(report)
    (RESULTS / "library.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

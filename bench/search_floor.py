"""The staff search's relevance floor: `make bench-search-floor`.

Staff search lists a passage only when its relevance (the score it shows) reaches
`Settings.search_min_relevance`, and says "No passages match" when none does. This measures, on
the seed corpus (corpus/ with bench/seed_questions.jsonl and bench/everyday_questions.jsonl) and,
when ../shared/eval is there, on the first MEDQUAD_QUESTIONS MedQuAD dev questions
(questions_dev.jsonl over docs.jsonl):

- on-topic queries: the relevance of the best passage of a document that answers them (a floor
  above it would hide the answer);
- questions on other health topics (the seed's unanswerable ones): their best passage's relevance;
- everyday questions (bench/everyday_questions.jsonl: wifi, recipes, passports): their best
  passage's relevance (a floor at or below it lists passages that match nothing);

each as asked and as staff type searches: the query's words without stop words ("cerebellar
atrophy signs"). Staff judge what they read, so the search favours recall: the floor is the
highest everyday score on the seed corpus (either form) plus MARGIN, rounded up to 0.05; it
keeps searches by symptom ("balance problems" reaches about 0.2 on the seed, where the title
weighs most) and nearby health topics listed. Writes bench/results/search_floor.json and .md;
`--seed-only` skips MedQuAD (whose index takes long to build without the embedding cache).
"""

from __future__ import annotations

import json
import math
import re
import statistics
import sys

from qa_bot.config import PROJECT_ROOT, Settings
from qa_bot.documents import load_corpus
from qa_bot.embedding import shared_embedder
from qa_bot.lexical import STOP_WORDS
from qa_bot.ranking import Ranker
from qa_bot.retrieval import Retriever
from qa_eval.data import Question, cached_index, load_documents, load_questions

BENCH = PROJECT_ROOT / "bench"
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"
RESULTS = BENCH / "results"
DEPTH = 100  # as qa_web/search_view.SEARCH_DEPTH
MEDQUAD_QUESTIONS = 400
MARGIN = 0.05  # above the highest everyday score, for searches unlike the measured ones


def keywords(text: str) -> str:
    """A question as a search: its words without stop words, in their order."""
    return " ".join(w for w in re.findall(r"[\w'-]+", text) if w.lower() not in STOP_WORDS)


def scores(retriever: Retriever, embedder, questions: list[Question], form) -> dict[str, list[float]]:
    """Per query: the best relevant passage's relevance (on-topic) or the best passage's (off-topic)."""
    texts = [form(q.text) for q in questions]
    found: dict[str, list[float]] = {"on_topic": [], "other_health": [], "everyday": []}
    for question, text, vector in zip(questions, texts, embedder.encode(texts), strict=True):
        passages = retriever.search(text, vector, DEPTH)
        if question.relevant_doc_ids:
            best = max((p.score for p in passages if p.doc_id in question.relevant_doc_ids), default=0.0)
            found["on_topic"].append(round(best, 4))
        else:
            kind = "everyday" if question.qid.startswith("EV") else "other_health"
            found[kind].append(round(max((p.score for p in passages), default=0.0), 4))
    return found


def summary(values: list[float]) -> dict:
    return {"n": len(values), "min": min(values), "median": round(statistics.median(values), 4), "max": max(values)}


def measure(stored, embedder, settings: Settings, questions: list[Question]) -> dict:
    retriever = Retriever(stored, settings.candidates, Ranker(stored, embedder, settings))
    report = {}
    for name, form in (("asked", str), ("keywords", keywords)):
        found = scores(retriever, embedder, questions, form)
        report[name] = {kind: summary(values) for kind, values in found.items() if values}
    return report


def main() -> int:
    settings = Settings()
    embedder = shared_embedder(settings.model)
    seed = cached_index(load_corpus(PROJECT_ROOT / "corpus"), BENCH / "cache", embedder, settings)
    seed_questions = load_questions(BENCH / "seed_questions.jsonl") + load_questions(BENCH / "everyday_questions.jsonl")
    report = {"seed": measure(seed, embedder, settings, seed_questions)}
    print(json.dumps(report["seed"]), flush=True)
    highest_everyday = max(report["seed"][f]["everyday"]["max"] for f in ("asked", "keywords"))
    report["seed"]["chosen_floor"] = math.ceil((highest_everyday + MARGIN) * 20) / 20
    if (EVAL_DIR / "docs.jsonl").is_file() and "--seed-only" not in sys.argv:
        medquad = cached_index(load_documents(EVAL_DIR / "docs.jsonl"), BENCH / "cache", embedder, settings)
        medquad_questions = load_questions(EVAL_DIR / "questions_dev.jsonl")[:MEDQUAD_QUESTIONS]
        everyday = load_questions(BENCH / "everyday_questions.jsonl")
        report["medquad_dev"] = measure(medquad, embedder, settings, medquad_questions + everyday)
    report["configured_search_min_relevance"] = settings.search_min_relevance
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search_floor.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / "search_floor.md").write_text(markdown(report))
    print(markdown(report))
    return 0


def markdown(report: dict) -> str:
    lines = ["# Staff search relevance floor (generated by `make bench-search-floor`)", "",
             "Best relevance per query (min / median / max; on-topic: the best passage of an answering document).",
             "", "| corpus | form | on-topic | other health topics | everyday |", "|---|---|---|---|---|"]
    for corpus in ("seed", "medquad_dev"):
        for form in ("asked", "keywords") if corpus in report else ():
            cells = [report[corpus][form].get(k) for k in ("on_topic", "other_health", "everyday")]
            shown = [f"{c['min']} / {c['median']} / {c['max']} (n={c['n']})" if c else "-" for c in cells]
            lines.append(f"| {corpus} | {form} | {' | '.join(shown)} |")
    lines += ["", f"Chosen on the seed corpus (the highest everyday score + {MARGIN}, rounded up to 0.05): "
              f"{report['seed']['chosen_floor']}; configured `search_min_relevance` "
              f"{report['configured_search_min_relevance']}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

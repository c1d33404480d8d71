"""Does a change move any answer? The top passage and the answer of 1,000 eval dev questions, before and after.

    python bench/same_answers.py [--before REF] [--questions 1000]

Checks out REF (default: main) beside this checkout and, in one process per
version, answers the same eval development questions on the same cached eval index
(bench/cache, built by `make bench`): the top passage of `QABot.search` and the status and
quotes of `QABot.ask`. Prints how many agree, and the first differences. Writes
bench/results/same_answers.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from worktree import revision_tree  # bench/worktree.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
EVAL_DOCS = ROOT.parent / "shared" / "eval" / "docs.jsonl"
EVAL_QUESTIONS = ROOT.parent / "shared" / "eval" / "questions_dev.jsonl"
# Run in each version's tree: argv = index folder, questions (JSON list); prints one JSON list.
ANSWERS = """
import json, sys
from dataclasses import replace
from pathlib import Path

from qa_bot import QABot, Settings
from qa_bot.index_store import read_index
from qa_bot.onnx_encoder import question_encoder
settings = replace(Settings.from_env(), index_dir=Path(sys.argv[1]))
bot = QABot(settings, question_encoder(settings), read_index(settings.index_dir))
found = []
for question in json.loads(Path(sys.argv[2]).read_text()):
    top = bot.search(question, 1).hits
    answer = bot.ask(question)
    found.append({"top": [top[0].doc_id, top[0].start, top[0].end] if top else None, "status": answer.status,
                  "quotes": [[q.doc_id, q.start, q.end] for q in answer.quotes]})
print(json.dumps(found))
"""


def _answers(tree: Path, index_dir: Path, questions: Path) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_") and k != "PYTHONPATH"}
    env |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    out = subprocess.run([sys.executable, "-c", ANSWERS, str(index_dir), str(questions)], cwd=tree, env=env,
                         check=True, capture_output=True, text=True, timeout=1800)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="main", help="the git revision to compare with (default main)")
    parser.add_argument("--questions", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import random

    from qa_bot.documents import corpus_fingerprint
    from qa_eval.data import load_documents, load_questions

    index_dir = ROOT / "bench" / "cache" / f"index-{corpus_fingerprint(load_documents(EVAL_DOCS))[:16]}"
    if not (index_dir / "CURRENT").is_file():
        print(f"no eval index in {index_dir}: run `make bench SECTIONS=latency` first", file=sys.stderr)
        return 2
    texts = [q.text for q in load_questions(EVAL_QUESTIONS)]
    chosen = random.Random(17).sample(texts, min(args.questions, len(texts)))
    with tempfile.TemporaryDirectory(prefix="qa-bot-same-") as scratch:
        questions = Path(scratch) / "questions.json"
        questions.write_text(json.dumps(chosen))
        with revision_tree(args.before, Path(scratch) / "before") as old:
            (old / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)  # the same ONNX export
            before = _answers(old, index_dir, questions)
        after = _answers(ROOT, index_dir, questions)
    same_top = sum(b["top"] == a["top"] for b, a in zip(before, after, strict=True))
    same_answer = sum(b == a for b, a in zip(before, after, strict=True))
    differences = [{"question": q, "before": b, "after": a}
                   for q, b, a in zip(chosen, before, after, strict=True) if b != a]
    report = {"before": args.before, "index": index_dir.name, "questions": len(chosen), "same_top_passage": same_top,
              "same_answer": same_answer, "differences": differences[:20]}
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "results" / "same_answers.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"same top passage: {same_top} of {len(chosen)}; same answer (status and quotes): {same_answer} of "
          f"{len(chosen)} ({args.before} against the working tree)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

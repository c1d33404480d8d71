"""Does a change move any safety decision? `qa_bot.safety` before and after, on every text at hand.

    python bench/same_safety.py [--before REF] [--show N]

Checks out REF (default: main) beside this checkout and, in one process per version, reads every
text with `safety.check` (emergency groups, notices, personal advice), `safety.sudden_signs`,
`safety.similar_examples` and `safety.normalise`: every string of every line of bench/patients/,
bench/library/ and tests/data/ (*.jsonl), the string constants of tests/*.py, and of
../shared/eval/liveqa_train.jsonl and questions_dev.jsonl when present; each LiveQA message also
as `ask` checks it under its subject line, and the messages joined and cut into 1,000-character
pieces (as bench/liveqa.py times them) and 5,000-character ones. Prints how many texts read the
same and the first differences, never those of a held-out line of bench/patients/ (they are only
counted: those lines are not looked at while tuning); exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from worktree import revision_tree  # bench/worktree.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
# Run in each version's tree: argv = texts (JSON list); prints one JSON list.
READINGS = """
import json, sys
from pathlib import Path

from qa_bot import safety
found = []
for text in json.loads(Path(sys.argv[1]).read_text()):
    result = safety.check(text)
    found.append([list(result.emergencies), list(result.messages), result.personal_advice,
                  list(safety.sudden_signs(text)), safety.similar_examples(text), safety.normalise(text)])
print(json.dumps(found))
"""


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def texts() -> list[str]:
    """Every text the comparison reads (module docstring), each once, in a fixed order."""
    folders = ("bench/patients", "bench/library", "tests/data")
    lines = [p for folder in folders for p in sorted((ROOT / folder).glob("*.jsonl"))]
    lines += [p for p in (EVAL_DIR / "liveqa_train.jsonl", EVAL_DIR / "questions_dev.jsonl") if p.is_file()]
    found: list[str] = []
    for path in lines:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.extend(_strings(json.loads(line)))
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.extend(n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str))
    live = EVAL_DIR / "liveqa_train.jsonl"
    if live.is_file():
        rows = [json.loads(line) for line in live.read_text(encoding="utf-8").splitlines() if line.strip()]
        found.extend(f"{r['subject']}\n{r['message']}" for r in rows if r["subject"].strip())
        joined = " ".join(r["message"] for r in rows)
        for size in (1000, 5000):
            found.extend(joined[start : start + size] for start in range(0, len(joined), size))
    return list(dict.fromkeys(found))


def held_out() -> set[str]:
    """The strings of bench/patients/'s held-out lines: counted among the differences, never shown."""
    rows = [json.loads(line) for path in sorted((ROOT / "bench/patients").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {text for row in rows if row.get("split") == "held_out" for text in _strings(row)}


def _readings(tree: Path, texts_file: Path) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_") and k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", READINGS, str(texts_file)], cwd=tree, env=env, check=True,
                         capture_output=True, text=True, timeout=3600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="main", help="the git revision to compare with (default main)")
    parser.add_argument("--show", type=int, default=10, help="how many differences to print (default 10)")
    args = parser.parse_args()
    chosen = texts()
    with tempfile.TemporaryDirectory(prefix="qa-bot-same-safety-") as scratch:
        texts_file = Path(scratch) / "texts.json"
        texts_file.write_text(json.dumps(chosen))
        with revision_tree(args.before, Path(scratch) / "before") as old:
            before = _readings(old, texts_file)
        after = _readings(ROOT, texts_file)
    differences = [(t, b, a) for t, b, a in zip(chosen, before, after, strict=True) if b != a]
    urgent = sum(bool(b[0]) for b in before)
    advice = sum(bool(b[2]) for b in before)
    print(f"texts read: {len(chosen)} ({urgent} urgent, {advice} personal advice before); the same reading "
          f"(groups, notices, advice, sudden signs, similar examples, normalised text): "
          f"{len(chosen) - len(differences)} of {len(chosen)} ({args.before} against the working tree)")
    hidden = held_out()
    shown = [d for d in differences if d[0] not in hidden]
    if len(shown) < len(differences):
        print(f"{len(differences) - len(shown)} of the differences are held-out lines of bench/patients (not shown)")
    for text, b, a in shown[: args.show]:
        print(json.dumps({"text": text[:300], "before": b[:5], "after": a[:5]}))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())

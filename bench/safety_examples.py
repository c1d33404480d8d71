"""Write `qa_bot/safety_examples.jsonl`: the reviewed example phrasings that `qa_bot.safety_neighbours`
compares questions with, taken from the dev lines of bench/patients/ (never the text of a held-out line).

    python bench/safety_examples.py          # rewrites the file
    python bench/safety_examples.py --check  # exits 1 when the file is not what the sets give

Each emergency phrasing keeps the notice its set names ("crisis" lines the crisis text), each near
miss none; `source` names the set file, so a benchmark can read a set without its own examples.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "bench" / "patients"
EXAMPLES = ROOT / "qa_bot" / "safety_examples.jsonl"
MESSAGES = {"emergency": "emergency", "crisis": "self_harm_crisis"}


def examples() -> str:
    """The file's text: every dev line of the emergency and near-miss sets, in file order, but a text that
    is also a held-out line of another set."""
    paths = sorted(SETS.glob("emergencies*.jsonl")) + sorted(SETS.glob("informational*.jsonl"))
    rows = {path: [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            for path in paths}
    held_out = {row["text"] for found in rows.values() for row in found if row["split"] != "dev"}
    lines = []
    for path, found in rows.items():
        urgent = path.name.startswith("emergencies")
        for row in found:
            if row["split"] != "dev" or row["text"] in held_out:
                continue
            message = MESSAGES[row["kind"]] if urgent else None
            lines.append(json.dumps({"text": row["text"], "message": message, "source": path.stem}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = examples()
    if argv == ["--check"]:
        same = EXAMPLES.is_file() and EXAMPLES.read_text(encoding="utf-8") == text
        state = "up to date" if same else "out of date: run python bench/safety_examples.py"
        print(f"{EXAMPLES.relative_to(ROOT)}: {state}")
        return 0 if same else 1
    EXAMPLES.write_text(text, encoding="utf-8")
    print(f"{EXAMPLES.relative_to(ROOT)}: {text.count(chr(10))} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

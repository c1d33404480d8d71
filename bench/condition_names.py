"""Write `qa_bot/condition_names.txt`: the names of the conditions NIH pages are about, so that a follow-up
question naming another condition starts over instead of being answered about the conversation's topic.

    python bench/condition_names.py [../shared/eval]

The names are the titles of the 4,286 NIH pages of ../shared/eval/docs.jsonl (MedQuAD, CC BY 4.0: A. Ben Abacha
and D. Demner-Fushman, BMC Bioinformatics 20:511, 2019), lower case, each once, sorted. Only names; no page text.
Exits 2 when the eval folder is absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
OUT = ROOT / "qa_bot" / "condition_names.txt"
HEADER = """\
# Names of conditions, one a line: the titles of the NIH pages collected in MedQuAD (GARD, Genetics Home Reference,
# NIDDK, NINDS, NHLBI, NCI, MedlinePlus), CC BY 4.0: A. Ben Abacha and D. Demner-Fushman, "A Question-Entailment
# Approach to Question Answering", BMC Bioinformatics 20:511 (2019). Written by bench/condition_names.py.
"""


def main(argv: list[str]) -> int:
    eval_dir = Path(argv[0]) if argv else EVAL_DIR
    docs = eval_dir / "docs.jsonl"
    if not docs.is_file():
        print(f"{docs} is absent; give the folder of ../shared/eval.", file=sys.stderr)
        return 2
    with docs.open(encoding="utf-8") as lines:
        names = sorted({" ".join(json.loads(line)["title"].lower().split()) for line in lines if line.strip()})
    OUT.write_text(HEADER + "\n".join(n for n in names if n) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(names)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Regenerate the NIH cerebellar library in corpus/ from the MedQuAD documents (issue 16).

    python tools/select_library.py [../shared/eval/docs.jsonl] [--corpus corpus] [--check]

The rule is the two lists below: a page is selected when its title or one of its synonyms matches
`NAMES` (the cerebellum or ataxia by name) or `CAUSES` (conditions that commonly cause or present
as cerebellar volume loss). Change a list and run the script again: it writes one file per selected
page (`<MedQuAD id>-<title>.md`, the text exactly as in docs.jsonl) and removes the library files
no longer selected; the seed and any other document in corpus/ are left alone. `--check` changes
nothing and exits 1 when corpus/ differs from what the rule gives (a test runs it on the rule's
output). Run `qa-bot build` afterwards.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa_bot.documents import Document, make_document, to_text  # noqa: E402

# The cerebellum or ataxia by name: cerebellar, spinocerebellar, olivopontocerebellar,
# pontocerebellar, cerebello-..., ataxia, ataxic; Friedreich and Machado-Joseph are ataxias by name.
NAMES = re.compile(r"cerebell|ataxi|friedreich|machado.joseph", re.IGNORECASE)
# Conditions that commonly cause or present as cerebellar volume loss, named in title or synonyms.
CAUSES = re.compile(
    r"multiple system atrophy|shy.drager"  # MSA, its cerebellar type (MSA-C) formerly OPCA
    r"|wernicke|alcoholic cerebellar|alcohol.induced encephalopathy"  # alcohol-related degeneration
    r"|paraneoplastic",  # paraneoplastic cerebellar degeneration
    re.IGNORECASE,
)
# Who published each MedQuAD collection (README of ../shared/eval).
PUBLISHERS = {
    "GARD": "Genetic and Rare Diseases Information Center (GARD), NIH",
    "GHR": "Genetics Home Reference, U.S. National Library of Medicine, NIH",
    "NINDS": "National Institute of Neurological Disorders and Stroke (NINDS), NIH",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK), NIH",
    "NHLBI": "National Heart, Lung, and Blood Institute (NHLBI), NIH",
}
LICENSE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
ATTRIBUTION = (
    "Text of the NIH page at `source`, as collected in MedQuAD (A. Ben Abacha and D. Demner-Fushman, "
    "\"A Question-Entailment Approach to Question Answering\", BMC Bioinformatics 20:511, 2019; "
    "github.com/abachaa/MedQuAD), only whitespace normalised"
)
RETRIEVED = "2017"
DEFAULT_DOCS = ROOT.parent / "shared" / "eval" / "docs.jsonl"
# Library files are named after their MedQuAD id, so the script recognises the ones it wrote.
LIBRARY_FILE = re.compile(r"^(GARD|GHR|NINDS|NIDDK|NHLBI)_\d+-.*\.md$")


def selected(record: dict) -> bool:
    """Whether the rule selects this docs.jsonl record."""
    names = [record["title"], *record.get("synonyms", ())]
    return any(NAMES.search(name) or CAUSES.search(name) for name in names)


def library_document(record: dict) -> Document:
    """The corpus document of one docs.jsonl record: its text unchanged, with its provenance."""
    collection = record["source_collection"]
    publisher = PUBLISHERS[collection]
    meta = {
        "id": record["id"],
        "title": record["title"][:1].upper() + record["title"][1:],
        "source": record["url"],
        "reviewed_by": f"{collection} editors at NIH (as published by NIH; not re-reviewed for qa_bot)",
        "reviewed_on": "not reviewed",
        "license": LICENSE,
        "publisher": publisher,
        "attribution": ATTRIBUTION,
        "retrieved": RETRIEVED,
        "review_status": "as published",
    }
    return make_document(meta, record["text"] + "\n", origin=record["id"])


def file_name(doc: Document) -> str:
    """`<id>-<title words>.md`, short enough for any file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", doc.title.lower()).strip("-")[:60].rstrip("-")
    return f"{doc.id}-{slug}.md"


def library(docs_path: Path) -> dict[str, str]:
    """File name → file text of every selected page, in the order of docs.jsonl."""
    files: dict[str, str] = {}
    with docs_path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if selected(record):
                doc = library_document(record)
                files[file_name(doc)] = to_text(doc)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS, help="MedQuAD docs.jsonl")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if corpus/ differs")
    args = parser.parse_args(argv)
    if not args.docs.is_file():
        print(f"{args.docs} does not exist; give the path of MedQuAD's docs.jsonl.", file=sys.stderr)
        return 2
    wanted = library(args.docs)
    present = {p.name for p in args.corpus.iterdir() if LIBRARY_FILE.match(p.name)}
    stale = sorted(present - set(wanted))
    changed = sorted(n for n, text in wanted.items() if not (args.corpus / n).is_file()
                     or (args.corpus / n).read_text(encoding="utf-8") != text)
    if args.check:
        for name in stale:
            print(f"not selected by the rule: {name}")
        for name in changed:
            print(f"missing or different: {name}")
        return 1 if stale or changed else 0
    for name in stale:
        (args.corpus / name).unlink()
    for name in changed:
        (args.corpus / name).write_text(wanted[name], encoding="utf-8")
    print(f"{len(wanted)} pages selected: {len(changed)} written, {len(stale)} removed; run `qa-bot build`.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

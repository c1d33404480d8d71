"""A small corpus for the staff views: the seed, a linked document, and one full of markup and script."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

from qa_bot import QABot, Settings
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index

EVIL_TITLE = 'Tinnitus <img src=x onerror="alert(\'title\')">'
EVIL_SOURCE = "javascript:alert('source')"
EVIL_MARKUP = (
    '<script>alert("doc")</script> <img src=x onerror="alert(\'img\')"> **bold** '
    "[click](javascript:alert('link')) ${alert('template')} {{constructor.constructor('alert(1)')()}} $x$"
)
EVIL_BODY = (
    "Tinnitus is a ringing, buzzing or hissing sound in the ears that other people cannot hear. "
    f"{EVIL_MARKUP} It is common in older adults and often comes with some hearing loss.\n"
)
NYSTAGMUS_BODY = (
    "Nystagmus is an involuntary, rhythmic movement of the eyes. It can make it hard to keep "
    "a steady gaze and can come with dizziness or balance problems.\n"
)
NYSTAGMUS_SOURCE = "https://example.org/nystagmus?lang=en&v=2"
# Staff's searches, short and long, on topic and half off it: the match they are shown falls down the list.
SEARCH_QUERIES = (
    "balance problems", "balance and dizziness", "cerebellar atrophy", "ringing in the ears", "treatment",
    "is it hereditary", "MRI volume loss", "slurred speech and tremor", "what causes cerebellar degeneration",
    "walking", "eye movements", "will it get worse over time",
)
_MATCH = re.compile(r"Match (<1|\d+)%")


def shown_matches(text: str) -> list[float]:
    """The "Match N%" labels in `text` (a results page or the CLI's output) as numbers, in order;
    "<1%" reads as 0.5."""
    return [0.5 if m == "<1" else float(m) for m in _MATCH.findall(text.replace("match ", "Match "))]


def write_document(folder: Path, doc_id: str, title: str, source: str, body: str) -> None:
    meta = {"id": doc_id, "title": title, "source": source, "reviewed_by": "Dr. T", "reviewed_on": "2026-11-01"}
    header = "\n".join(f"{key}: {value}" for key, value in {**meta, "license": "CC0"}.items())
    (folder / f"{doc_id}.md").write_text(f"---\n{header}\n---\n{body}", encoding="utf-8")


def staff_bot(root: Path, seed: Settings, embedder: Embedder) -> QABot:
    """A bot over the seed corpus plus `nystagmus` and the markup-laden `tinnitus`; feedback in `root`."""
    shutil.copytree(seed.corpus_dir, root / "corpus")
    write_document(root / "corpus", "nystagmus", "Nystagmus", NYSTAGMUS_SOURCE, NYSTAGMUS_BODY)
    write_document(root / "corpus", "tinnitus", EVIL_TITLE, EVIL_SOURCE, EVIL_BODY)
    settings = replace(seed, corpus_dir=root / "corpus", index_dir=root / "index", feedback_dir=root / "feedback")
    build_index(settings, embedder)
    return QABot.load(settings, embedder)

"""Maintainers: add, replace and remove documents; validation; incremental and identical index."""

from __future__ import annotations

import errno
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot, Settings
from qa_bot.audit import history
from qa_bot.cli import main
from qa_bot.corpus_changes import add_document, differences, prepare, remove_document, replace_document
from qa_bot.documents import MAX_DOCUMENT_BYTES, load_corpus
from qa_bot.durable import DiskError
from qa_bot.embedding import Embedder
from qa_bot.errors import InvalidDocument
from qa_bot.index_store import current_version, read_index
from qa_bot.indexing import build_index

META = {"source": "https://example.org/t", "reviewed_by": "Dr. Test", "reviewed_on": "2026-11-20", "license": "CC0"}
TREMOR = "A tremor is a rhythmic shaking you cannot control.\n\nEssential tremor often affects the hands."


def tiny_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with the given text lines (Helvetica)."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({line}) Tj 0 -16 Td" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


@pytest.fixture
def corpus(seed_settings: Settings, embedder: Embedder, tmp_path: Path) -> Settings:
    """A private copy of the seed corpus with its own built index."""
    shutil.copytree(seed_settings.corpus_dir, tmp_path / "corpus")
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    return settings


def snapshot(settings: Settings) -> dict[str, bytes]:
    """Every file of the corpus folder and the index pointer, to prove nothing changed."""
    files = {p.name: p.read_bytes() for p in settings.corpus_dir.iterdir()}
    return {**files, "CURRENT": (settings.index_dir / "CURRENT").read_bytes()}


def test_markdown_html_pdf_and_text_are_stored_as_quotable_text() -> None:
    md = prepare("a.md", ("---\ntitle: Tremor\n---\n" + TREMOR).encode(), {**META, "id": "a"})
    assert (md.title, md.body) == ("Tremor", TREMOR)
    html = prepare(
        "b.html",
        b"<html><head><title>Tremor page</title><script>alert(1)</script></head><body><nav>Home</nav>"
        b"<h2>What is it?</h2><p>A tremor is   a rhythmic\nshaking.</p><ul><li>It can be mild.</li></ul></body></html>",
        META,
    )
    assert (html.id, html.title) == ("b", "Tremor page")
    assert html.body == "## What is it?\n\nA tremor is a rhythmic shaking.\n\nIt can be mild.\n"
    pdf = prepare("Leaflet 3.pdf", tiny_pdf(["Tremor is shaking.", "It can be treated."]), {**META, "title": "Leaflet"})
    assert pdf.id == "leaflet-3" and "Tremor is shaking." in pdf.body and "It can be treated." in pdf.body
    text = prepare("c.txt", TREMOR.encode(), {**META, "title": "Plain"})
    assert text.body == TREMOR


@pytest.mark.parametrize(
    ("name", "data", "meta", "message"),
    [
        ("a.md", TREMOR.encode(), {**META, "source": None}, "missing metadata title, source"),
        ("a.md", b"  \n\n ", {**META, "title": "T"}, "empty"),
        ("a.txt", b"abc\x00\x01def", {**META, "title": "T"}, "binary"),
        ("a.txt", "café".encode("latin-1"), {**META, "title": "T"}, "not UTF-8"),
        ("a.txt", b"x" * (MAX_DOCUMENT_BYTES + 1), {**META, "title": "T"}, "over the"),
        ("a.pdf", b"%PDF-1.4 garbage", {**META, "title": "T"}, "PDF could not be read|no text"),
        ("a.pdf", b"not a pdf at all", {**META, "title": "T"}, "not a PDF"),
        ("a.docx", b"PK\x03\x04", {**META, "title": "T"}, "unsupported file type"),
        ("a.txt", TREMOR.encode(), {**META, "title": "T", "reviewed_on": "last week"}, "must be a date"),
    ],
)
def test_bad_uploads_are_refused_with_what_to_do(name: str, data: bytes, meta: dict, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        prepare(name, data, meta)


def test_add_embeds_only_the_new_document_and_equals_a_full_rebuild(
    corpus: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    before = read_index(corpus.index_dir)
    encoded: list[int] = []
    original = embedder.encode
    embedder.encode = lambda texts, **kw: encoded.append(len(texts)) or original(texts, **kw)  # type: ignore[method-assign]
    try:
        report = add_document(
            corpus, embedder, prepare("tremor.md", TREMOR.encode(), {**META, "title": "Tremor"}), "ann"
        )
    finally:
        del embedder.encode
    assert encoded == [3] and report.chunks == 2  # its two passages and its title, in one call
    incremental = read_index(corpus.index_dir)
    assert incremental.manifest.chunks[: len(before.manifest.chunks)] == before.manifest.chunks

    full = replace(corpus, index_dir=tmp_path / "fresh-index")
    build_index(full, embedder)
    fresh = read_index(full.index_dir)
    assert fresh.manifest.chunks == incremental.manifest.chunks
    assert fresh.manifest.corpus_fingerprint == incremental.manifest.corpus_fingerprint
    # The fresh build has an empty cache and encodes in other batches: padding moves the last bits.
    np.testing.assert_allclose(
        fresh.vectors.reconstruct_n(0, fresh.vectors.ntotal),
        incremental.vectors.reconstruct_n(0, incremental.vectors.ntotal),
        atol=1e-6,
    )
    np.testing.assert_allclose(fresh.title_vectors, incremental.title_vectors, atol=1e-6)
    for question in ("What is a tremor?", "What is cerebellar atrophy?", "How do I bake bread?"):
        assert QABot.load(full, embedder).ask(question) == QABot.load(corpus, embedder).ask(question)


def test_rejected_documents_change_nothing(corpus: Settings, embedder: Embedder) -> None:
    seed = load_corpus(corpus.corpus_dir)["cerebellar-volume-loss"]
    before = snapshot(corpus)
    with pytest.raises(InvalidDocument, match="already exists"):
        add_document(corpus, embedder, replace(seed, title="Again"))
    with pytest.raises(InvalidDocument, match="id 'cerebellar-volume-loss' already exists"):
        add_document(corpus, embedder, replace(seed, id="Cerebellar-Volume-Loss", body="Other words entirely."))
    with pytest.raises(InvalidDocument, match="same text is already in the corpus as 'cerebellar-volume-loss'"):
        add_document(corpus, embedder, replace(seed, id="copy", body=seed.body + "\n"))
    with pytest.raises(InvalidDocument, match="no document 'nope'"):
        remove_document(corpus, embedder, "nope")
    assert snapshot(corpus) == before and history(corpus.corpus_dir) == []


def test_a_nearly_identical_document_is_added_with_a_warning(corpus: Settings, embedder: Embedder) -> None:
    seed = load_corpus(corpus.corpus_dir)["cerebellar-volume-loss"]
    near = replace(seed, id="near", body=seed.body.replace("In conclusion,", "To sum up,"))
    report = add_document(corpus, embedder, near)
    assert report.warnings == ("near is nearly identical to cerebellar-volume-loss (98% of word runs shared).",)


def test_a_failed_build_puts_the_corpus_back(
    corpus: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(corpus)
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("qa_bot.corpus_changes.build_locked", full_disk)
    with pytest.raises(DiskError, match="the disk is full; adding t was not done and nothing was changed"):
        add_document(corpus, embedder, prepare("t.md", TREMOR.encode(), {**META, "title": "T"}))
    with pytest.raises(DiskError, match="the disk is full"):
        remove_document(corpus, embedder, "cerebellar-volume-loss")
    assert snapshot(corpus) == before


def test_a_history_line_that_cannot_be_written_undoes_the_change(
    corpus: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history line is the commit point: without it the staged version is dropped, nothing served."""
    before, versions = snapshot(corpus), sorted((corpus.index_dir / "versions").iterdir())

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(corpus.corpus_dir / "HISTORY.jsonl"))

    monkeypatch.setattr("qa_bot.audit.record", full_disk)
    with pytest.raises(DiskError, match=r"the disk is full \(.*HISTORY.jsonl\); adding t was not done"):
        add_document(corpus, embedder, prepare("t.md", TREMOR.encode(), {**META, "title": "T"}))
    assert snapshot(corpus) == before and sorted((corpus.index_dir / "versions").iterdir()) == versions


def test_replace_and_remove_update_index_history_and_live_bot(corpus: Settings, embedder: Embedder) -> None:
    bot = QABot.load(corpus, embedder)
    add_document(corpus, embedder, prepare("tremor.md", TREMOR.encode(), {**META, "title": "Tremor"}), "ann")
    assert bot.refresh() and bot.search("rhythmic shaking", 1).hits[0].doc_id == "tremor"
    new_text = "A tremor is an involuntary quivering movement.\n\nIt may get worse with stress."
    report = replace_document(
        corpus, embedder, "tremor", prepare("v2.md", new_text.encode(), {**META, "title": "Tremor"}), "bob"
    )
    assert report.chunks == 2 and load_corpus(corpus.corpus_dir)["tremor"].body == new_text
    assert bot.refresh() and "involuntary quivering" in bot.search("involuntary quivering", 1).hits[0].text
    with pytest.raises(InvalidDocument, match="identical to the current one"):
        replace_document(corpus, embedder, "tremor", load_corpus(corpus.corpus_dir)["tremor"])
    remove_document(corpus, embedder, "tremor", "cy")
    assert bot.refresh() and "tremor" not in bot.stored.documents and not bot.refresh()
    changes = history(corpus.corpus_dir)
    assert [(c.action, c.doc_id, c.who, c.reviewed_by) for c in changes] == [
        ("add", "tremor", "ann", "Dr. Test"),
        ("replace", "tremor", "bob", "Dr. Test"),
        ("remove", "tremor", "cy", "Dr. Test"),
    ]
    assert changes[-1].index_version == current_version(corpus.index_dir)
    assert differences(corpus, embedder.weights_sha256) == []


def test_cli_check_list_and_history(corpus: Settings, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    flags = ["--corpus", str(corpus.corpus_dir), "--index", str(corpus.index_dir)]
    page = tmp_path / "tremor.html"
    page.write_text("<title>Tremor</title><p>Tremor is shaking you cannot control.</p>")
    meta = [
        "--source",
        "https://example.org",
        "--reviewed-by",
        "Dr. T",
        "--reviewed-on",
        "2026-11-01",
        "--license",
        "CC0",
    ]
    assert main([*flags, "add", str(page), *meta, "--by", "ann"]) == 0
    assert "add: tremor (1 passages)" in capsys.readouterr().out
    assert main([*flags, "list"]) == 0
    assert "tremor\tTremor\t1 passages\treviewed by Dr. T (2026-11-01)" in capsys.readouterr().out
    assert main([*flags, "history"]) == 0
    assert "\tadd\ttremor\tby ann\treviewed by Dr. T (2026-11-01)" in capsys.readouterr().out
    (corpus.corpus_dir / "tremor.md").unlink()
    assert main([*flags, "check"]) == 1
    captured = capsys.readouterr()
    assert "tremor: in the index, not in the corpus" in captured.out and "qa-bot build" in captured.err
    assert main([*flags, "add", str(tmp_path / "missing.md"), *meta]) == 1
    assert "cannot read" in capsys.readouterr().err

"""Chunking: whole sentences, exact offsets, never across a paragraph or section break."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_bot.chunking import Span, chunk_document, paragraphs, sentences
from qa_bot.embedding import Embedder

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLE_DOCS = Path(__file__).resolve().parent / "data" / "medquad_docs.jsonl"


def words(text: str) -> int:
    """A stand-in token count; the real tokenizer is used in test_index."""
    return len(text.split())


def test_sentences_keep_exact_offsets_and_skip_abbreviations() -> None:
    body = "Dr. Smith saw it, e.g. on MRI. It shrank! Did it? Yes “really.” End"
    found = [body[s.start : s.end] for s in sentences(body, Span(0, len(body)))]
    assert found == ["Dr. Smith saw it, e.g. on MRI.", "It shrank!", "Did it?", "Yes “really.”", "End"]


def test_paragraphs_split_at_blank_lines_only() -> None:
    body = "\n\nOne.\nStill one.\n \n\nTwo.  \n\n"
    assert [body[p.start : p.end] for p in paragraphs(body)] == ["One.\nStill one.", "Two."]


def test_chunks_pack_sentences_up_to_the_limit_within_a_paragraph() -> None:
    body = "A b c. D e f. G h i.\n\nJ k l."
    chunks = chunk_document(body, words, max_tokens=6)
    assert [body[c.start : c.end] for c in chunks] == ["A b c. D e f.", "G h i.", "J k l."]


def test_overlap_repeats_the_last_sentence() -> None:
    body = "A b c. D e f. G h i."
    chunks = chunk_document(body, words, max_tokens=6, overlap_sentences=1)
    assert [body[c.start : c.end] for c in chunks] == ["A b c. D e f.", "D e f. G h i."]


def test_headings_become_sections_and_are_not_quoted() -> None:
    body = "# Causes\n\nAge is one.\n\n## Treatment\n\nTherapy helps."
    chunks = chunk_document(body, words, max_tokens=50)
    assert [(body[c.start : c.end], c.section) for c in chunks] == [
        ("Age is one.", "Causes"),
        ("Therapy helps.", "Treatment"),
    ]


def test_an_over_long_sentence_is_cut_at_word_boundaries() -> None:
    body = "one two three four five six seven"
    chunks = chunk_document(body, words, max_tokens=3)
    assert [body[c.start : c.end] for c in chunks] == ["one two three", "four five six", "seven"]


text_pieces = st.lists(
    st.one_of(
        st.text(alphabet="abcdé XYZ,;—’", min_size=1, max_size=30),
        st.sampled_from([". ", "! ", "? ", "\n", "\n\n", "\n \n", " e.g. ", "# Head\n\n"]),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(pieces=text_pieces, limit=st.integers(min_value=1, max_value=12), overlap=st.integers(0, 2))
def test_any_text_chunks_into_exact_ordered_slices_inside_paragraphs(
    pieces: list[str], limit: int, overlap: int
) -> None:
    body = "".join(pieces)
    paras = list(paragraphs(body))
    chunks = chunk_document(body, words, max_tokens=limit, overlap_sentences=overlap)
    for chunk in chunks:
        text = body[chunk.start : chunk.end]
        assert text and text == text.strip()
        assert any(p.start <= chunk.start and chunk.end <= p.end for p in paras)
        assert words(text) <= limit or len(text.split()) == 1
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)
    covered = {i for c in chunks for i in range(c.start, c.end)}
    headings = {i for p in paras if body[p.start : p.end].startswith("# ") for i in range(p.start, p.end)}
    assert all(
        i in covered for p in paras for i in range(p.start, p.end) if not body[i].isspace() and i not in headings
    )


@settings(max_examples=200, deadline=None)
@given(pieces=text_pieces, limit=st.integers(min_value=1, max_value=12), overlap=st.integers(0, 2))
def test_counting_each_sentence_once_gives_the_same_chunks(pieces: list[str], limit: int, overlap: int) -> None:
    body = "".join(pieces)
    exact = chunk_document(body, words, max_tokens=limit, overlap_sentences=overlap)
    assert chunk_document(body, words, max_tokens=limit, overlap_sentences=overlap, additive=True) == exact


def test_the_models_word_pieces_add_up_so_real_documents_chunk_the_same(embedder: Embedder) -> None:
    assert embedder.additive_tokens
    bodies = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.md"))]
    bodies += [json.loads(line)["text"] for line in SAMPLE_DOCS.read_text(encoding="utf-8").splitlines()]
    for limit in (24, 64, 200):
        for body in bodies:
            exact = chunk_document(body, embedder.count_tokens, max_tokens=limit)
            assert chunk_document(body, embedder.count_tokens, max_tokens=limit, additive=True) == exact

"""txtai beside qa_bot: the same model folder, the same passage texts, the same questions.

txtai indexes the passage texts qa_bot embeds (title and section, then the passage) into its FAISS
backend with content storage, and answers with `search(question, 3)`; qa_bot builds its index of the
same documents (chunking, BM25, the vector index, writing) and answers with `ask`. Each side builds
from scratch (an empty embedding cache, a new txtai index) `repeats` times, alternating which goes first.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.documents import Document
from qa_bot.embedding import Embedder
from qa_bot.index_store import read_index
from qa_bot.indexing import build_index, passage_text
from qa_bot.model_files import resolve_model
from qa_bot.onnx_encoder import question_encoder

from .common import median, ratio, timed


def txtai_peer(
    embedder: Embedder, settings: Settings, documents: dict[str, Document], questions: list[str], repeats: int = 3
) -> dict:
    """Indexing seconds (median of `repeats`, the two builds alternating) and median answer
    milliseconds for qa_bot and for txtai, and their ratios."""
    from txtai import Embeddings

    model_path = str(resolve_model(settings.model)[0])
    with tempfile.TemporaryDirectory() as tmp:
        def build(name: str) -> float:
            chosen = replace(settings, index_dir=Path(tmp) / name)
            return timed(lambda: build_index(chosen, embedder, documents))

        build("warm-up")
        ours = replace(settings, index_dir=Path(tmp) / "ours-0")
        ours_s, peer_build_s = [], []
        stored = read_index(Path(tmp) / "warm-up")
        texts = [passage_text(stored.documents[c.doc_id], c) for c in stored.manifest.chunks]
        rows = [(i, t, None) for i, t in enumerate(texts)]
        for repeat in range(repeats):
            peer = Embeddings(path=model_path, method="sentence-transformers", content=True)
            # Ours first in even repeats, txtai first in odd ones: a machine getting busier or
            # quieter during a run weighs on both sides alike.
            for side in (("ours", "peer") if repeat % 2 == 0 else ("peer", "ours")):
                if side == "ours":
                    ours_s.append(build(f"ours-{repeat}"))
                else:
                    peer_build_s.append(timed(lambda peer=peer: peer.index(rows)))
        bot = QABot(ours, question_encoder(ours), read_index(ours.index_dir))
        for question in questions[:3]:
            bot.ask(question)
            peer.search(question, 3)
        ours_q, peer_q = [], []
        for question in questions:
            began = time.perf_counter()
            bot.ask(question)
            ours_q.append(time.perf_counter() - began)
            began = time.perf_counter()
            peer.search(question, 3)
            peer_q.append(time.perf_counter() - began)
    return {
        "documents": len(documents),
        "passages": len(texts),
        "questions": len(questions),
        "repeats": repeats,
        "qa_bot_index_s": round(median(ours_s), 2),
        "txtai_index_s": round(median(peer_build_s), 2),
        "index_time_ratio": ratio(median(ours_s), median(peer_build_s)),
        "qa_bot_answer_p50_ms": round(median(ours_q) * 1e3, 3),
        "txtai_search_p50_ms": round(median(peer_q) * 1e3, 3),
        "answer_time_ratio": ratio(median(ours_q), median(peer_q)),
    }

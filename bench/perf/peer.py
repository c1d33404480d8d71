"""txtai beside qa_bot: the same model folder, the same passage texts, the same questions.

txtai indexes the passage texts qa_bot embeds (title and section, then the passage) into its FAISS
backend with content storage, and answers with `search(question, 3)`; qa_bot builds its index of the
same documents (chunking, BM25, the vector index, writing) and answers with `ask`.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.documents import Document
from qa_bot.embedding import Embedder, resolve_model
from qa_bot.index_store import read_index
from qa_bot.indexing import build_index, passage_text

from .common import median, ratio, timed


def txtai_peer(embedder: Embedder, settings: Settings, documents: dict[str, Document], questions: list[str]) -> dict:
    """Indexing seconds and median answer milliseconds for qa_bot and for txtai, and their ratios."""
    from txtai import Embeddings

    with tempfile.TemporaryDirectory() as tmp:
        ours = replace(settings, index_dir=Path(tmp) / "index")
        ours_build_s = timed(lambda: build_index(ours, embedder, documents))
        onnx_build = replace(settings, index_dir=Path(tmp) / "index-onnx", build_backend="onnx")
        build_index(replace(onnx_build, index_dir=Path(tmp) / "warm"), embedder, dict(list(documents.items())[:1]))
        onnx_build_s = timed(lambda: build_index(onnx_build, embedder, documents))
        stored = read_index(ours.index_dir)
        bot = QABot(ours, embedder, stored)
        texts = [passage_text(stored.documents[c.doc_id], c) for c in stored.manifest.chunks]
        peer = Embeddings(path=str(resolve_model(settings.model)[0]), method="sentence-transformers", content=True)
        peer_build_s = timed(lambda: peer.index([(i, t, None) for i, t in enumerate(texts)]))
        for question in questions[:3]:
            bot.ask(question)
            peer.search(question, 3)
        ours_s, peer_s = [], []
        for question in questions:
            began = time.perf_counter()
            bot.ask(question)
            ours_s.append(time.perf_counter() - began)
            began = time.perf_counter()
            peer.search(question, 3)
            peer_s.append(time.perf_counter() - began)
    return {
        "documents": len(documents),
        "passages": len(texts),
        "questions": len(questions),
        "qa_bot_index_s": round(ours_build_s, 2),
        "txtai_index_s": round(peer_build_s, 2),
        "index_time_ratio": ratio(ours_build_s, peer_build_s),
        "qa_bot_index_onnx_build_s": round(onnx_build_s, 2),
        "index_time_ratio_onnx_build": ratio(onnx_build_s, peer_build_s),
        "qa_bot_answer_p50_ms": round(median(ours_s) * 1e3, 3),
        "txtai_search_p50_ms": round(median(peer_s) * 1e3, 3),
        "answer_time_ratio": ratio(median(ours_s), median(peer_s)),
    }

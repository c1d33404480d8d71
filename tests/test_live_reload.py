"""A running app serves a maintainer's update without a restart and without failing a request."""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client

from qa_bot import QABot, Settings
from qa_bot.corpus_changes import add_document, prepare
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index
from qa_web.server import build_demo

from .test_app import content, free_port

pytestmark = pytest.mark.server


def test_new_documents_are_served_live_while_requests_keep_succeeding(
    seed_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    shutil.copytree(seed_settings.corpus_dir, tmp_path / "corpus")
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    bot = QABot.load(settings, embedder)
    bot.watch(interval=0.1)
    demo = build_demo(bot)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)

        def ask(question: str) -> str:
            return content(client.predict(question, [], api_name="/chat")[1][1])

        assert "could not find" in ask("What is nystagmus?")
        doc = prepare(
            "nystagmus.md",
            b"Nystagmus is an involuntary, rhythmic movement of the eyes.",
            {
                "title": "Nystagmus",
                "source": "test",
                "reviewed_by": "Dr. T",
                "reviewed_on": "2026-11-01",
                "license": "CC0",
            },
        )
        with ThreadPoolExecutor(max_workers=4) as pool:
            in_flight = [pool.submit(ask, "What is cerebellar atrophy?") for _ in range(12)]
            add_document(settings, embedder, doc, "tester")
            in_flight += [pool.submit(ask, "What is cerebellar atrophy?") for _ in range(4)]
            replies = [future.result(timeout=120) for future in in_flight]
        assert all("also known as cerebellar atrophy" in reply for reply in replies)

        deadline = time.monotonic() + 30
        while "involuntary, rhythmic movement of the eyes" not in ask("What is nystagmus?"):
            assert time.monotonic() < deadline, "the app never served the new index version"
            time.sleep(0.2)
    finally:
        demo.close()

"""Shared, expensive fixtures: the real model loads once, the seed index builds once."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from qa_bot import QABot, Settings  # noqa: E402
from qa_bot.embedding import Embedder, shared_embedder  # noqa: E402
from qa_bot.indexing import build_index  # noqa: E402
from qa_bot.onnx_export import export_onnx  # noqa: E402

PROJECT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED_ID = "cerebellar-volume-loss"
SEED_FILE = PROJECT_CORPUS / f"{SEED_ID}.md"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real default model (all-MiniLM-L6-v2), loaded once for the whole run."""
    return shared_embedder()


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over a corpus of the seed document alone (a private copy) and a fresh index folder."""
    root = tmp_path_factory.mktemp("seed")
    (root / "corpus").mkdir()
    shutil.copy2(SEED_FILE, root / "corpus")
    return Settings.from_env(corpus_dir=root / "corpus", index_dir=root / "index")


@pytest.fixture(scope="session")
def bot(seed_settings: Settings, embedder: Embedder) -> QABot:
    """A bot over the seed corpus, with a real FAISS and BM25 index built once; questions embedded by
    ONNX Runtime as when serving (the export made once, as `qa-bot build` makes it)."""
    build_index(seed_settings, embedder)
    export_onnx(embedder, seed_settings.onnx_dir)
    return QABot.load(seed_settings)


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No QA_BOT_* variables leak in from the machine running the tests."""
    for name in [n for n in os.environ if n.startswith("QA_BOT_")]:
        monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture(scope="session")
def library_bot(tmp_path_factory: pytest.TempPathFactory, seed_settings: Settings, bot: QABot,
                embedder: Embedder) -> QABot:
    """A bot over a private copy of the whole shipped corpus (the NIH library and the seed), built
    once: from the shipped prebuilt/ vectors when they match it, as a fresh install builds it."""
    root = tmp_path_factory.mktemp("library")
    shutil.copytree(PROJECT_CORPUS, root / "corpus")
    settings = replace(seed_settings, corpus_dir=root / "corpus", index_dir=root / "index")
    build_index(settings, embedder)
    return QABot.load(settings)

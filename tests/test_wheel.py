"""In a checkout qa_bot's defaults stay in the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot import Settings
from qa_bot.config import PROJECT_ROOT

ROOT = Path(__file__).resolve().parent.parent


def test_in_a_checkout_the_defaults_live_in_the_checkout() -> None:
    assert PROJECT_ROOT == ROOT
    assert (Settings().corpus_dir, Settings().index_dir) == (ROOT / "corpus", ROOT / "index")
    assert Settings().onnx_dir == ROOT / ".cache" / "onnx"


def test_the_onnx_folder_comes_from_the_environment(isolated_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolated_env.setenv("QA_BOT_ONNX_DIR", str(tmp_path / "onnx"))
    assert Settings.from_env().onnx_dir == (tmp_path / "onnx").resolve()

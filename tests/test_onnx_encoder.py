"""ONNX Runtime question embedding: the same tokens and vectors as torch, a checked export, clear errors."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import Settings, model_files, onnx_export
from qa_bot.config import DEFAULT_MODEL, DEFAULT_MODEL_SHA256
from qa_bot.embedding import Embedder
from qa_bot.errors import ModelError
from qa_bot.model_files import locate_model
from qa_bot.onnx_encoder import OnnxEncoder, question_encoder
from qa_bot.onnx_export import export_onnx, file_stamp, onnx_path, verified_onnx

QUESTIONS = ["What is cerebellar atrophy?", "Can my children inherit it from me?", "balance problems", "x"]
LONG = " ".join(["Cerebellar volume loss, diagnosed on MRI; café-au-lait spots?"] * 60)  # past 256 tokens


@pytest.fixture(scope="session")
def onnx_dir(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one fresh export of the real model."""
    folder = tmp_path_factory.mktemp("onnx")
    export_onnx(embedder, folder)
    return folder


@pytest.fixture(scope="session")
def encoder(onnx_dir: Path) -> OnnxEncoder:
    return OnnxEncoder(locate_model(), onnx_dir)


def test_tokens_equal_the_models_own_tokenizer(encoder: OnnxEncoder, embedder: Embedder) -> None:
    texts = [*QUESTIONS, LONG, "  MY   MRI SAYS…  ", ""]
    expected = embedder._model.tokenizer(texts, padding=True, truncation=True, max_length=embedder.max_tokens)
    got = encoder._tokenizer.encode_batch(texts)
    assert [e.ids for e in got] == expected["input_ids"]
    assert [e.attention_mask for e in got] == expected["attention_mask"]
    assert len(got[len(QUESTIONS)].ids) == embedder.max_tokens == 256


def test_onnx_vectors_equal_torch_vectors(encoder: OnnxEncoder, embedder: Embedder) -> None:
    np.testing.assert_allclose(encoder.encode(QUESTIONS), embedder.encode(QUESTIONS), atol=1e-4)
    np.testing.assert_allclose(encoder.encode(QUESTIONS[:1])[0], embedder.encode(QUESTIONS[:1])[0], atol=1e-4)
    np.testing.assert_allclose(encoder.encode([LONG]), embedder.encode([LONG]), atol=1e-4)
    assert encoder.encode([]).shape == (0, embedder.dimension)
    assert encoder.weights_sha256 == embedder.weights_sha256


def test_many_texts_are_sorted_into_small_batches_and_returned_in_order(encoder: OnnxEncoder, embedder: Embedder) -> None:  # noqa: E501
    texts = [("word " * n).strip() + f" {n}" for n in (3, 40, 1, 17, 5, 60, 2, 9, 33, 4, 21, 7)]
    np.testing.assert_allclose(encoder.encode(texts), embedder.encode(texts), atol=1e-4)


def test_export_is_reused_and_a_changed_file_is_refused_with_the_fix(
    embedder: Embedder, onnx_dir: Path, tmp_path: Path
) -> None:
    path = onnx_path(onnx_dir, embedder.weights_sha256)
    assert export_onnx(embedder, onnx_dir) == path
    assert json.loads(path.with_suffix(".sha256.json").read_text())["weights_sha256"] == embedder.weights_sha256
    tampered = tmp_path / path.name
    shutil.copy(path, tampered)
    shutil.copy(path.with_suffix(".sha256.json"), tampered.with_suffix(".sha256.json"))
    with tampered.open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="SHA-256.*qa-bot build"):
        OnnxEncoder(locate_model(), tmp_path)


def test_an_intact_export_is_hashed_once_and_a_rewritten_one_again(
    embedder: Embedder, onnx_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = onnx_path(onnx_dir, embedder.weights_sha256)
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    shutil.copy(path.with_suffix(".sha256.json"), copy.with_suffix(".sha256.json"))
    assert verified_onnx(tmp_path, embedder.weights_sha256) == copy  # hashed, and its stamp recorded
    assert json.loads(copy.with_suffix(".sha256.json").read_text())["stamp"] == file_stamp(copy)
    hashed: list[Path] = []
    monkeypatch.setattr(onnx_export, "file_sha256", lambda p: hashed.append(p) or "0" * 64)
    assert verified_onnx(tmp_path, embedder.weights_sha256) == copy and hashed == []  # the stamp is the same
    before = copy.stat()
    with copy.open("r+b") as handle:  # the same size, the modification time put back: only ctime tells
        handle.seek(before.st_size // 2)
        handle.write(b"\x00")
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(ModelError, match="SHA-256.*qa-bot build"):
        verified_onnx(tmp_path, embedder.weights_sha256)
    assert hashed == [copy]
    with pytest.raises(ModelError, match="SHA-256.*qa-bot build"):  # an export of other weights is refused
        verified_onnx(tmp_path, embedder.weights_sha256[:-1] + "x")


def test_answering_takes_the_pinned_weights_hash_without_reading_the_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_files, "file_sha256", lambda p: pytest.fail(f"{p} was hashed"))
    files = model_files._located.__wrapped__(DEFAULT_MODEL, False)
    assert files.weights_sha256 == DEFAULT_MODEL_SHA256


def test_backend_choice(embedder: Embedder, onnx_dir: Path) -> None:
    settings = Settings(onnx_dir=onnx_dir)
    assert question_encoder(replace(settings, query_backend="torch")) is embedder
    assert isinstance(question_encoder(settings), OnnxEncoder)
    with pytest.raises(ModelError, match="Unknown embedding backend"):
        question_encoder(replace(settings, query_backend="tensorflow"))

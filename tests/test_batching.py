"""Micro-batching: concurrent questions share model calls, each gets its own vector, errors reach callers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from qa_bot.batching import MicroBatcher
from qa_bot.bot import QABot
from qa_bot.embedding import Embedder


class SlowEncoder:
    """Encodes text i as the vector [len(text), hash-ish], taking `seconds` per call; records calls."""

    def __init__(self, seconds: float = 0.02) -> None:
        self.seconds = seconds
        self.calls: list[list[str]] = []
        self.threads: set[str] = set()
        self._lock = threading.Lock()
        self.concurrent = 0
        self.max_concurrent = 0

    def __call__(self, texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        with self._lock:
            self.calls.append(list(texts))
            self.threads.add(threading.current_thread().name)
            self.concurrent += 1
            self.max_concurrent = max(self.max_concurrent, self.concurrent)
        if running is not None:
            running()
        time.sleep(self.seconds)
        with self._lock:
            self.concurrent -= 1
        return np.array([[len(t), sum(map(ord, t))] for t in texts], dtype=np.float32)


def ask_all(batcher: MicroBatcher, texts: list[str]) -> list[np.ndarray]:
    start = threading.Barrier(len(texts))

    def one(text: str) -> np.ndarray:
        start.wait()
        return batcher.encode_one(text)

    with ThreadPoolExecutor(len(texts)) as pool:
        return list(pool.map(one, texts))


def test_lone_question_is_encoded_at_once_in_the_callers_thread() -> None:
    encoder = SlowEncoder(0.0)
    batcher = MicroBatcher(encoder, max_batch=8, max_wait_s=1.0)
    began = time.perf_counter()
    vector = batcher.encode_one("what is ataxia")
    assert time.perf_counter() - began < 0.5  # the 1 s wait bound applies only under load
    np.testing.assert_array_equal(vector, [14, sum(map(ord, "what is ataxia"))])
    assert encoder.calls == [["what is ataxia"]]
    assert encoder.threads == {threading.current_thread().name}


def test_concurrent_questions_share_model_calls_and_get_their_own_vectors() -> None:
    encoder = SlowEncoder(0.02)
    batcher = MicroBatcher(encoder, max_batch=8, max_wait_s=0.005)
    texts = [f"question number {i}" + "?" * i for i in range(24)]
    vectors = ask_all(batcher, texts)
    for text, vector in zip(texts, vectors, strict=True):
        np.testing.assert_array_equal(vector, [len(text), sum(map(ord, text))])
    assert sorted(t for call in encoder.calls for t in call) == sorted(texts)
    assert len(encoder.calls) < len(texts) / 2
    assert max(len(call) for call in encoder.calls) <= 8
    assert encoder.max_concurrent == 1  # one model call at a time


def test_batch_size_one_means_no_batching() -> None:
    encoder = SlowEncoder(0.005)
    vectors = ask_all(MicroBatcher(encoder, max_batch=1), [f"q{i}" for i in range(8)])
    assert len(vectors) == 8 and all(len(call) == 1 for call in encoder.calls)
    assert encoder.max_concurrent == 1


def test_encoder_errors_reach_every_caller_and_the_batcher_keeps_working() -> None:
    fail = threading.Event()
    fail.set()
    encoder = SlowEncoder(0.01)

    def flaky(texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        if fail.is_set():
            time.sleep(0.01)
            raise RuntimeError("model broke")
        return encoder(texts, running)

    batcher = MicroBatcher(flaky, max_batch=4)
    with pytest.raises(RuntimeError, match="model broke"):
        ask_all(batcher, [f"q{i}" for i in range(6)])
    fail.clear()
    assert len(ask_all(batcher, [f"q{i}" for i in range(6)])) == 6


def test_a_submitted_text_is_handed_back_once_the_model_runs_on_it() -> None:
    encoder = SlowEncoder(0.3)
    batcher = MicroBatcher(encoder, max_batch=8)
    future = batcher.submit("is ataxia inherited")
    assert encoder.calls == [["is ataxia inherited"]]  # the model has it: the caller's own work runs beside it
    assert not future.done()
    np.testing.assert_array_equal(future.result(), [19, sum(map(ord, "is ataxia inherited"))])
    assert encoder.threads == {"qa-bot-batcher"}


def test_a_model_failing_before_it_runs_does_not_keep_the_caller_waiting() -> None:
    def broken(texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        raise RuntimeError("tokenizer file unreadable")

    future = MicroBatcher(broken, max_batch=4).submit("what is ataxia")
    with pytest.raises(RuntimeError, match="tokenizer file unreadable"):
        future.result(timeout=5)


def test_the_real_encoders_say_when_their_model_starts(embedder: Embedder, bot: QABot) -> None:
    for encoder in (embedder, bot.encoder):
        started = threading.Event()
        vectors = encoder.encode(["what is ataxia"], running=started.set)
        assert started.is_set() and vectors.shape[0] == 1


def test_batched_vectors_equal_single_encodings(embedder: Embedder) -> None:
    texts = ["What causes cerebellar atrophy?", "Is it inherited?", "How is it treated in children?"] * 3
    batched = ask_all(MicroBatcher(embedder.encode, max_batch=9, max_wait_s=0.01), texts)
    np.testing.assert_allclose(np.stack(batched), embedder.encode(texts), atol=1e-5)


def test_bot_answers_concurrent_questions_like_one_by_one(bot: QABot) -> None:
    questions = ["What are the symptoms of cerebellar atrophy?", "How is cerebellar atrophy diagnosed?"] * 4
    alone = [bot.ask(q).to_dict() for q in questions[:2]]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: bot.ask(q).to_dict(), questions))
    for i, answer in enumerate(together):
        assert [q["text"] for q in answer["quotes"]] == [q["text"] for q in alone[i % 2]["quotes"]]

"""Micro-batching: questions asked at the same time are embedded together, one model call per batch.

One encoding runs at a time. A question that finds the model idle and nobody waiting is embedded
at once in the caller's thread (no hand-off, no wait: a lone user pays nothing). Otherwise it joins
a queue that one worker thread empties in batches of up to `max_batch`; after a batch of more than
one question (the server is busy) the worker waits up to `max_wait_s` for the batch to fill.
Embedding 16 short questions together costs a few times one question, not 16 times.

A caller with other work to do meanwhile hands its text to the worker (`submit`) and goes on once the
model runs on it: the model call releases the GIL, so that work runs on another core (a long
message's safety patterns, read while its question is embedded). Started any earlier, the caller's
Python would hold the GIL and the worker could not even begin (it waits the interpreter's 5 ms
switch interval each time it needs the GIL back).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

logger = logging.getLogger(__name__)

# `Encoder.encode`: called as encode(texts), or encode(texts, running=f) with f called as the model starts.
Encode = Callable[..., np.ndarray]
_Queued = tuple[str, Future[np.ndarray], threading.Event]


class MicroBatcher:
    """Embeds single texts through `encode`, batching those that arrive while the model is busy."""

    def __init__(self, encode: Encode, max_batch: int = 32, max_wait_s: float = 0.002) -> None:
        self._encode = encode
        self.max_batch = max(1, max_batch)
        self.max_wait_s = max(0.0, max_wait_s)
        self._model_lock = threading.Lock()
        self._queue: queue.SimpleQueue[_Queued] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0
        self.batched_texts = 0

    def encode_one(self, text: str) -> np.ndarray:
        """The vector of `text`; blocks until its batch is encoded, raises what the encoder raised."""
        if self.max_batch == 1 or (self._queue.empty() and self._model_lock.acquire(blocking=False)):
            if self.max_batch == 1:
                self._model_lock.acquire()
            try:
                return self._encode([text])[0]
            finally:
                self._model_lock.release()
        return self.submit(text).result()

    def submit(self, text: str) -> Future[np.ndarray]:
        """The future vector of `text`, embedded by the worker thread with any others waiting; returns once
        the model runs on it (or failed to), so that the caller's own work runs beside the model."""
        future: Future[np.ndarray] = Future()
        running = threading.Event()
        self._queue.put((text, future, running))
        self._ensure_worker()
        running.wait()
        return future

    def _ensure_worker(self) -> None:
        if self._worker is not None:
            return
        with self._start_lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="qa-bot-batcher", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        busy = False
        while True:
            batch = [self._queue.get()]
            deadline = time.monotonic() + (self.max_wait_s if busy else 0.0)
            while len(batch) < self.max_batch:
                remaining = deadline - time.monotonic()
                try:
                    batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
                except queue.Empty:
                    break
            busy = len(batch) > 1
            self._encode_batch(batch)

    def _encode_batch(self, batch: list[_Queued]) -> None:
        def running() -> None:
            for _, _, event in batch:
                event.set()

        try:
            with self._model_lock:
                vectors = self._encode([text for text, _, _ in batch], running=running)
        except Exception as err:  # every waiting caller gets the error, the worker lives on
            for _, future, _ in batch:
                future.set_exception(err)
            return
        finally:
            running()  # no caller waits for a model that never started
        self.batches += 1
        self.batched_texts += len(batch)
        for (_, future, _), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)

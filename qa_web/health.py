"""Liveness and readiness for load balancers and orchestrators: `/livez` and `/readyz`.

`/livez` answers 200 while the process can answer HTTP at all (restart it when it does not).
`/readyz` answers 200 only while the model and an index are loaded and the server is not shutting
down, 503 otherwise, with the reason: send it traffic only then. `qa-bot serve` opens its port after
loading both, so a starting replica refuses connections until it is ready; on SIGTERM
(`DrainingServer`) the app marks itself not ready, keeps taking in connections for
`Settings.shutdown_drain_s` (requests already sent are answered, not reset), then stops accepting
and finishes the requests in flight, waiting up to `Settings.shutdown_grace_s`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import FrameType

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from qa_bot import QABot


class Readiness:
    """Whether the app should get traffic. The app exists only with a loaded bot (model and index), so
    it is ready from its lifespan's start until shutdown begins."""

    def __init__(self) -> None:
        self.state = "starting"

    def reason(self) -> str | None:
        """None when ready, else why not: "starting" or "shutting down"."""
        return None if self.state == "serving" else self.state


class DrainingServer(uvicorn.Server):
    """uvicorn's server, marking the app not ready as soon as SIGTERM or SIGINT arrives and still taking
    in connections for `drain_s` seconds: uvicorn at once closes a connection whose request it has not
    read yet, so requests sent just before the signal would be reset. uvicorn then stops accepting
    connections and waits for the requests in flight (up to its graceful timeout). A second signal
    during the drain goes straight to uvicorn."""

    def __init__(self, config: uvicorn.Config, readiness: Readiness, drain_s: float = 0.5) -> None:
        super().__init__(config)
        self.readiness = readiness
        self.drain_s = drain_s
        self._exit: tuple[float, int, FrameType | None] | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.readiness.state = "shutting down"
        if self._exit is None and self.drain_s > 0:
            self._exit = (time.monotonic() + self.drain_s, sig, frame)
        else:
            super().handle_exit(sig, frame)

    async def on_tick(self, counter: int) -> bool:
        if self._exit is not None and not self.should_exit and time.monotonic() >= self._exit[0]:
            super().handle_exit(*self._exit[1:])
        return await super().on_tick(counter)


def add_health(app: FastAPI, bot: QABot) -> Readiness:
    """Add /livez and /readyz to `app`, ready once its lifespan has started."""
    readiness = Readiness()

    async def live() -> JSONResponse:
        return JSONResponse({"status": "alive"})

    async def ready() -> JSONResponse:
        reason = readiness.reason()
        if reason is not None:
            return JSONResponse({"status": "not ready", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready", "index_version": bot.stored.version, "model": bot.encoder.name})

    app.add_api_route("/livez", live, methods=["GET"], include_in_schema=False)
    app.add_api_route("/readyz", ready, methods=["GET"], include_in_schema=False)
    app.router.lifespan_context = _marking(readiness, app.router.lifespan_context)
    return readiness


def _marking(
    readiness: Readiness, inner: Callable[[FastAPI], AbstractAsyncContextManager[object]]
) -> Callable[[FastAPI], AbstractAsyncContextManager[object]]:
    """`inner` lifespan, with `readiness` serving between its start and the start of shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[object]:
        async with inner(app) as state:
            readiness.state = "serving"
            try:
                yield state
            finally:
                readiness.state = "shutting down"

    return lifespan

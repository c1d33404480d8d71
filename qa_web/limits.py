"""Bounded, well-formed requests before any route sees them: 413 over a size limit, 422 for JSON that
Python reads but no route should (NaN, Infinity, numbers beyond a float, lone surrogates, deep nesting).

A pure ASGI middleware around the whole server, so it holds for the API, the Gradio apps and the
maintainers' page alike. It refuses a declared Content-Length over the limit before reading a byte,
and counts the bytes of a streamed body as they arrive, so a large body is never held in memory.
JSON bodies (at most the limit) are read whole, checked, then handed on unchanged.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from gradio.route_utils import FnIndexInferError
from starlette.routing import Mount

from qa_bot import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ADMIN_UPLOAD = "/admin/gradio_api/upload"
# Gradio's routes that take files; on the patients' app (at /) nothing may write.
PATIENT_UPLOADS = ("/gradio_api/upload", "/gradio_api/process_recording")
# Gradio's proxy to Hugging Face Spaces (for gr.load), which qa_bot never uses: it runs offline.
GRADIO_PROXY = "/gradio_api/proxy="
# The longest file name the file system takes (POSIX NAME_MAX): a longer path part names no file, and
# Gradio's file routes would fail on it with a 500 (ENAMETOOLONG).
NAME_MAX = 255


class BodyTooLarge(Exception):
    """The client sent more bytes than the route accepts."""


def body_limit(path: str, settings: Settings) -> int:
    """The most bytes a request body to `path` may have."""
    if path.startswith("/api/"):
        return settings.max_api_request_bytes
    if path.startswith(ADMIN_UPLOAD):
        return settings.max_upload_bytes
    return settings.max_request_bytes


def json_problem(body: bytes, max_depth: int) -> str | None:
    """Why `body` is JSON no route should accept, or None when it is fine or not JSON at all (the
    route then says what is wrong with it)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "The body is not valid UTF-8 text."
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except _NotFinite:
        return "JSON numbers must be finite: NaN and Infinity are not accepted."
    except RecursionError:
        return f"The JSON is nested too deeply (at most {max_depth} levels)."
    except json.JSONDecodeError:
        return None
    except ValueError as err:  # an integer of more digits than Python converts
        return f"A JSON number is too large: {err}."
    return _value_problem(value, max_depth)


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str) -> float:
    raise _NotFinite(name)


def _value_problem(value: object, max_depth: int) -> str | None:
    """Non-finite numbers (1e999999 reads as infinity), lone surrogates or nesting beyond `max_depth`."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth and isinstance(item, dict | list):
            return f"The JSON is nested too deeply (at most {max_depth} levels)."
        if isinstance(item, float) and not math.isfinite(item):
            return "JSON numbers must be finite: a number beyond ±1.8e308 is not accepted."
        if isinstance(item, str) and not _is_unicode(item):
            return "The text holds a lone surrogate (\\ud800 to \\udfff), which is not a character."
        if isinstance(item, dict):
            stack.extend((k, depth + 1) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_json(scope: Scope) -> bool:
    """Whether FastAPI would read the body as JSON: a JSON content type, or none at all."""
    content_type = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    return content_type in (b"", b"application/json") or content_type.endswith(b"+json")


class RequestLimits:
    """ASGI middleware: 413 for bodies over `body_limit`, 422 for unreadable JSON, 404 for uploads
    outside the maintainers' page."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.rstrip("/") in PATIENT_UPLOADS:
            await _reply(send, 404, "Uploads are accepted on the maintainers' page only.")
            return
        if path.removeprefix("/admin").startswith(GRADIO_PROXY):
            await _reply(send, 404, "This server proxies nothing.")
            return
        if any(len(part.encode("utf-8", "surrogatepass")) > NAME_MAX for part in path.split("/")):
            await _reply(send, 404, "Nothing here has a name this long.")
            return
        limit = body_limit(path, self.settings)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _reply(send, 413, f"The request body is over the {limit:,}-byte limit.")
            return
        counted = _Counted(receive, limit)
        if scope["method"] in ("POST", "PUT", "PATCH") and _is_json(scope):
            try:
                body = await counted.read_all()
            except BodyTooLarge:
                await _reply(send, 413, f"The request body is over the {limit:,}-byte limit.")
                return
            problem = json_problem(body, self.settings.max_json_depth) if body else None
            if problem is not None:
                await _reply(send, 422, problem)
                return
            counted.replay(body)
        await self._guarded(scope, counted, send, limit)

    async def _guarded(self, scope: Scope, counted: _Counted, send: Send, limit: int) -> None:
        """Run the app; when its body grows past the limit mid-stream, answer 413 (if nothing was sent yet)
        and let the app see a disconnected client."""
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if counted.exceeded:
                return  # the client was already answered 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched_send)
        except Exception:
            if not counted.exceeded:
                raise
        if counted.exceeded and not started:
            await _reply(send, 413, f"The request body is over the {limit:,}-byte limit.")


class _Counted:
    """A `receive` that counts body bytes; past the limit it reports a disconnect instead of more body."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False
        self.pending: list[Message] = []

    async def __call__(self) -> Message:
        if self.pending:
            return self.pending.pop(0)
        if self.exceeded:
            return {"type": "http.disconnect"}
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                return {"type": "http.disconnect"}
        return message

    async def read_all(self) -> bytes:
        """The whole body, at most `limit` bytes (BodyTooLarge beyond)."""
        parts = []
        while True:
            message = await self()
            if self.exceeded:
                raise BodyTooLarge
            if message["type"] != "http.request":
                break
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(parts)

    def replay(self, body: bytes) -> None:
        """Hand `body`, already read, to the app as one message."""
        self.pending = [{"type": "http.request", "body": body, "more_body": False}]


async def _reply(send: Send, status: int, message: str) -> None:
    """A JSON error in FastAPI's shape: {"detail": [{"type", "loc", "msg"}]} for 422, {"detail": msg} else."""
    detail: object = [{"type": "value_error", "loc": ["body"], "msg": message}] if status == 422 else message
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def bound_requests(app: FastAPI, settings: Settings) -> FastAPI:
    """`app` behind RequestLimits, its mounted Gradio apps answering 404 (not 500) for an API name,
    function index or session they lack."""
    app.add_middleware(RequestLimits, settings=settings)
    app.add_exception_handler(RequestValidationError, _invalid)
    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            route.app.add_exception_handler(RequestValidationError, _invalid)
            route.app.add_exception_handler(FnIndexInferError, _no_such_endpoint)
            route.app.add_exception_handler(KeyError, _no_such_endpoint)
    return app


async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, also when the body was bytes that are not UTF-8 (FastAPI's own handler fails on them)."""
    errors = jsonable_encoder(err.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})
    return JSONResponse({"detail": errors}, status_code=422)


async def _no_such_endpoint(request: Request, err: Exception) -> JSONResponse:
    what = f"no function {err}" if isinstance(err, KeyError) else str(err)
    return JSONResponse({"detail": f"No such API endpoint: {what}."}, status_code=404)

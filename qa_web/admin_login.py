"""The door of the maintainers' page: its own sign-in page, a growing delay after failed sign-ins, and
`/admin` sent on to `/admin/`.

Before sign-in nothing of the page is served (no Gradio config, API description or document id):
`/admin/` shows a plain form, and Gradio's own routes answer 401. Failed sign-ins lock the client
(its address; uvicorn takes it from X-Forwarded-For behind a proxy on loopback) out for a delay that
grows with each failure (`login_delay`); a sign-in tried while locked gets 429 with Retry-After.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from pathlib import Path

from qa_bot import Settings
from qa_web.limits import ASGIApp, Message, Receive, Scope, Send

LOGIN_PAGE = Path(__file__).with_name("admin_login.html").read_text(encoding="utf-8")


def login_delay(failures: int, settings: Settings) -> float:
    """Seconds a client is locked out after its `failures`-th failed sign-in in a row."""
    extra = failures - settings.admin_free_attempts
    return 0.0 if extra <= 0 else min(settings.admin_delay_step_s * extra, settings.admin_max_delay_s)


def total_delay(attempts: int, settings: Settings) -> float:
    """The least time `attempts` wrong passwords in a row take from one client."""
    return sum(login_delay(n, settings) for n in range(1, attempts))


class LoginThrottle:
    """Failed sign-ins per client, and until when each client is locked out."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.lock = threading.Lock()
        self.clients: dict[str, tuple[int, float, float]] = {}  # failures, last attempt, locked until

    def start(self, client: str) -> float:
        """Seconds `client` must still wait (refused), or 0: its sign-in may be checked now, and until it is
        finished (`finish`) its other sign-ins wait, so parallel guesses gain nothing."""
        with self.lock:
            now = self.clock()
            failures, last, until = self.clients.get(client, (0, 0.0, 0.0))
            if failures and now - last > self.settings.admin_forget_s:
                failures, until = 0, 0.0
            if until == math.inf:  # a sign-in of this client is being checked: ask for another second
                return 1.0
            if until > now:
                return until - now
            self.clients[client] = (failures, now, math.inf)
            if len(self.clients) > 10_000:  # an attacker with many addresses cannot fill the memory
                self.clients.pop(next(iter(self.clients)))
            return 0.0

    def finish(self, client: str, signed_in: bool | None) -> None:
        """Record the outcome of the sign-in `start` let through: True, False (a failure) or None (not checked)."""
        with self.lock:
            failures, _, _ = self.clients.get(client, (0, 0.0, 0.0))
            now = self.clock()
            if signed_in:
                self.clients.pop(client, None)
            elif signed_in is False:
                self.clients[client] = (failures + 1, now, now + login_delay(failures + 1, self.settings))
            else:
                self.clients[client] = (failures, now, 0.0)


class AdminGate:
    """ASGI middleware in front of the maintainers' page mounted at `prefix` (a Gradio app whose sign-in
    tokens are `tokens`, cookie suffix `cookie_id`)."""

    def __init__(
        self, app: ASGIApp, gradio_app: object, throttle: LoginThrottle, prefix: str = "/admin"
    ) -> None:
        self.app = app
        self.gradio_app = gradio_app
        self.throttle = throttle
        self.prefix = prefix
        # Gradio's HTML pages, which embed the page's API description whoever asks.
        self.pages = {f"{prefix}/", f"{prefix}/gradio_api/runs", f"{prefix}/gradio_api/runs/"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == self.prefix or path.startswith(self.prefix + "/")):
            await self.app(scope, receive, send)
            return
        if path == self.prefix:
            query = scope.get("query_string", b"")
            location = f"{scope.get('root_path', '')}{self.prefix}/" + (f"?{query.decode('latin-1')}" if query else "")
            await _send(send, 307, b"", "text/plain", [(b"location", location.encode("latin-1"))])
        elif path in (f"{self.prefix}/login", f"{self.prefix}/login/") and scope["method"] == "POST":
            await self._sign_in(scope, receive, send)
        elif path in self.pages and scope["method"] in ("GET", "HEAD") and not self._signed_in(scope):
            await _send(send, 200, LOGIN_PAGE.encode(), "text/html; charset=utf-8", [(b"cache-control", b"no-store")])
        else:
            await self.app(scope, receive, send)

    def _signed_in(self, scope: Scope) -> bool:
        cookies = SimpleCookie()
        try:
            cookies.load(dict(scope["headers"]).get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header signs no one in
            return False
        suffix = self.gradio_app.cookie_id
        names = (f"access-token-{suffix}", f"access-token-unsecure-{suffix}")
        tokens = [cookies[name].value for name in names if name in cookies]
        return any(token in self.gradio_app.tokens for token in tokens)

    async def _sign_in(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.throttle.start(client)
        if wait > 0:
            seconds = math.ceil(wait)
            detail = f"Too many failed sign-ins from your address: wait {seconds} s, then try again."
            body = json.dumps({"detail": detail, "retry_after": round(wait, 3)}).encode()
            await _send(send, 429, body, "application/json", [(b"retry-after", str(seconds).encode())])
            return
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            self.throttle.finish(client, True if status == 200 else False if status in (400, 401) else None)


async def _send(send: Send, status: int, body: bytes, content_type: str, headers: list) -> None:
    head = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})

"""No request makes the server fail: a fuzz over every HTTP route of the real server (API, patients'
app, maintainers' page), bodies over the limits refused with 413, unreadable JSON with 422."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from qa_bot import QABot
from qa_bot.accounts import new_account, save_account
from qa_web.admin import PASSWORD_VARIABLE
from qa_web.limits import PATIENT_UPLOADS, json_problem

from .test_app import running, served

pytestmark = pytest.mark.server


def http_routes(routes: list, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path template) of every HTTP route, inside mounted apps and included routers too."""
    for route in routes:
        if isinstance(route, Mount):
            yield from http_routes(route.routes, prefix + route.path)
        elif hasattr(route, "original_router"):  # FastAPI's included router
            yield from http_routes(route.original_router.routes, prefix + getattr(route, "prefix", ""))
        elif getattr(route, "methods", None):
            yield from ((method, prefix + route.path) for method in sorted(route.methods))


@pytest.fixture(scope="module")
def site(bot: QABot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI]]:
    """The seed bot served as `qa-bot serve` serves it, with a maintainers' page (feedback kept aside)."""
    root = tmp_path_factory.mktemp("limits")
    save_account(root / "maintainers", new_account("ann", "a long enough password"))
    settings = replace(bot.settings, feedback_dir=root / "feedback", admin_users=root / "maintainers")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(PASSWORD_VARIABLE, raising=False)
        app = served(QABot(settings, bot.encoder, bot.stored))
    with running(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def http(site: tuple[str, FastAPI]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site[0], timeout=30) as client:
        yield client


def test_the_route_list_covers_the_api_the_apps_and_the_maintainers_page(site: tuple[str, FastAPI]) -> None:
    routes = set(http_routes(site[1].routes))
    assert {("POST", "/api/ask"), ("POST", "/gradio_api/queue/join"), ("POST", "/admin/login"),
            ("POST", "/admin/gradio_api/call/{api_name}"), ("GET", "/gradio_api/heartbeat/{session_hash}")} <= routes
    assert len(routes) > 100


# JSON that Python's json module reads but no route should: each is 422 on every route, before routing.
UNREADABLE = {
    b'{"question": NaN}': "must be finite",
    b'{"question": Infinity, "data": [1]}': "must be finite",
    b'{"question": -Infinity}': "must be finite",
    b'{"question": 1e999999}': "beyond",
    b'{"data": ["\\ud800"], "question": "What is it?"}': "lone surrogate",
    b'{"question": "x", "comment": "\\udfff tail"}': "lone surrogate",
    b'{"\\ud83d": 1}': "lone surrogate",
    b"[" * 100 + b"]" * 100: "nested too deeply",
    b"[" * 60_000: "nested too deeply",
    b'{"limit": 1' + b"0" * 5000 + b"}": "too large",
    b'{"question": "\xff\xfe"}': "not valid UTF-8",
}


def test_unreadable_json_is_422_on_every_post_route(site: tuple[str, FastAPI], http: httpx.Client) -> None:
    posts = sorted({path for method, path in http_routes(site[1].routes) if method == "POST"} - set(PATIENT_UPLOADS))
    for path in posts:
        url = path.replace("{api_name}", "chat").replace("{event_id}", "e1")
        for body, message in UNREADABLE.items():
            response = http.post(url, content=body, headers={"Content-Type": "application/json"})
            assert response.status_code == 422, (url, body[:40], response.text[:200])
            assert message in response.json()["detail"][0]["msg"]


def test_well_formed_json_passes_the_check() -> None:
    assert json_problem(b'{"question": "caf\\u00e9 \\ud83d\\ude00", "limit": 3, "x": [1.5e308, -2]}', 32) is None
    assert json_problem(b"not json", 32) is None  # the route itself says what is wrong
    assert json_problem(json.dumps([[[1]]] * 3).encode(), 3) is None
    assert "nested" in json_problem(json.dumps([[[[1]]]]).encode(), 3)


def test_unknown_gradio_endpoints_and_functions_are_404(http: httpx.Client) -> None:
    assert http.post("/gradio_api/call/nothing", json={"data": ["hi"]}).status_code == 404
    assert http.post("/gradio_api/run/predict", json={"data": ["x"], "fn_index": 9999}).status_code == 404
    response = http.post("/gradio_api/queue/join", json={"data": ["x"], "fn_index": 9999, "session_hash": "abc"})
    assert response.status_code == 404 and "No such API endpoint" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/assets/", "/gradio_api/file=", "/admin/assets/", "/static/", "/api/"])
def test_a_path_part_longer_than_any_file_name_is_404(http: httpx.Client, path: str) -> None:
    # Gradio's file routes ended in a 500 (ENAMETOOLONG) on these; 255 bytes is still a name.
    assert http.get(path + "x" * 256).status_code == 404
    assert http.get(path + "é" * 128).status_code == 404
    assert http.get("/assets/" + "x" * 255).status_code == 404


TEN_MB = 10 * 1024 * 1024


def _streamed(size: int) -> Iterator[bytes]:
    yield b'{"question": "'
    for _ in range(size // 65536):
        yield b"a" * 65536
    yield b'"}'


@pytest.mark.parametrize("path", ["/api/ask", "/api/feedback", "/gradio_api/queue/join", "/admin/login", "/nothing"])
def test_a_10_mb_body_is_refused_with_413_declared_or_streamed(http: httpx.Client, path: str) -> None:
    """Bench: bench/request_limits.py measures the server's memory meanwhile."""
    declared = http.post(path, content=b"a" * TEN_MB, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and "byte limit" in declared.json()["detail"]
    streamed = http.post(path, content=_streamed(TEN_MB), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "byte limit" in streamed.json()["detail"]
    form = http.post(path, files={"files": ("big.md", b"a" * TEN_MB)})
    assert form.status_code in (404, 413)


def test_the_json_api_takes_64_kb_and_no_more(http: httpx.Client, site: tuple[str, FastAPI]) -> None:
    limit = 64 * 1024
    padding = '{"question": "What is it?", "conversation": []}'
    at_limit = padding[:-1] + " " * (limit - len(padding)) + "}"
    headers = {"Content-Type": "application/json"}
    assert len(at_limit) == limit and http.post("/api/ask", content=at_limit, headers=headers).status_code == 200
    assert http.post("/api/ask", content=at_limit + " ", headers=headers).status_code == 413
    long_text = http.post("/api/ask", json={"question": "a" * 60_000})  # under the limit: the field's own 422
    assert long_text.status_code == 422 and "at most 5000 characters" in long_text.text


def _json_value() -> st.SearchStrategy:
    """JSON values including what the issue found: NaN, infinities, huge numbers, lone surrogates."""
    leaves = (
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
        | st.sampled_from([float("nan"), float("inf"), 10**400, "\ud800", "a\udfffb", "What is ataxia?"])
    )
    keys = st.sampled_from(["question", "query", "limit", "rating", "comment", "quotes", "data", "fn_index",
                            "session_hash", "event_data", "trigger_id", "x"]) | st.text(max_size=5)
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
                        max_leaves=8)


def _encoded(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode()  # ensure_ascii: lone surrogates as \ud800 escapes


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    choice=st.integers(min_value=0),
    body=_json_value().map(_encoded) | st.binary(max_size=64) | st.just(b""),
    param=st.text(max_size=12) | st.sampled_from(["chat", "preview", "add", "x" * 300, "..", "%00"]),
    content_type=st.sampled_from(["application/json", "text/plain", "", "multipart/form-data; boundary=x"]),
)
def test_no_request_to_any_route_makes_the_server_fail(
    site: tuple[str, FastAPI], http: httpx.Client, choice: int, body: bytes, param: str, content_type: str
) -> None:
    routes = sorted(set(http_routes(site[1].routes)))
    method, template = routes[choice % len(routes)]
    path = "".join(quote(param, safe="") if part.startswith("{") else part
                   for part in _split_params(template)) or "/"
    headers = {"Content-Type": content_type} if content_type else {}
    content = body if method in ("POST", "PUT", "PATCH") else None
    with http.stream(method, path, content=content, headers=headers, timeout=30) as response:
        assert response.status_code < 500, (method, path, body[:80], response.read()[:300])


def _split_params(template: str) -> list[str]:
    """'/a/{b}/c' -> ['/a/', '{b}', '/c']."""
    parts, rest = [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        parts += [before, "{" + name + "}"]
    return [*parts, rest]


"""The maintainers' page: real login, upload-preview-add on a running server, absent without a password."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from gradio_client import Client, handle_file

from qa_bot import QABot, Settings
from qa_bot.audit import history
from qa_bot.documents import load_corpus
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index
from qa_web.admin import ADMIN_USER, PASSWORD_VARIABLE, check_login, mount_admin
from qa_web.server import build_demo

from .test_app import free_port

pytestmark = pytest.mark.server
PASSWORD = "correct horse battery staple"


def test_login_needs_the_exact_user_and_password() -> None:
    check = check_login(PASSWORD)
    assert check(ADMIN_USER, PASSWORD)
    assert not check(ADMIN_USER, PASSWORD + " ")
    assert not check("admin", PASSWORD)
    assert not check(ADMIN_USER, "")


def test_no_password_means_no_admin_page(
    seed_settings: Settings, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    assert mount_admin(FastAPI(), seed_settings) is False
    monkeypatch.setenv(PASSWORD_VARIABLE, "   ")
    assert mount_admin(FastAPI(), seed_settings) is False


@pytest.fixture(scope="module")
def site(
    seed_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings, QABot]]:
    """Patients' chat at / and the maintainers' page at /admin on one uvicorn server."""
    root = tmp_path_factory.mktemp("admin")
    shutil.copytree(seed_settings.corpus_dir, root / "corpus")
    settings = replace(seed_settings, corpus_dir=root / "corpus", index_dir=root / "index")
    build_index(settings, embedder)
    bot = QABot.load(settings, embedder)
    bot.watch(interval=0.1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PASSWORD_VARIABLE, PASSWORD)
        server_app = FastAPI()
        assert mount_admin(server_app, settings)
    import gradio as gr

    gr.mount_gradio_app(server_app, build_demo(bot), path="/")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings, bot
    finally:
        server.should_exit = True
        thread.join(10)


def test_admin_refuses_visitors_without_the_password(site: tuple[str, Settings, QABot]) -> None:
    url, _, _ = site
    assert httpx.get(f"{url}/admin/config").status_code in (401, 403)
    login = httpx.post(f"{url}/admin/login", data={"username": ADMIN_USER, "password": "guess"})
    assert login.status_code in (400, 401)
    with pytest.raises(ValueError, match="Could not login"):
        Client(f"{url}/admin/", auth=(ADMIN_USER, "guess"), verbose=False)


def test_patients_app_exposes_no_maintainer_action(site: tuple[str, Settings, QABot]) -> None:
    url, _, _ = site
    endpoints = Client(f"{url}/", verbose=False).view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert "/chat" in endpoints
    assert not {"/add", "/replace", "/remove", "/preview"} & set(endpoints)


def test_maintainer_previews_then_adds_and_patients_get_it_live(
    site: tuple[str, Settings, QABot], tmp_path: Path
) -> None:
    url, settings, bot = site
    page = tmp_path / "nystagmus.html"
    page.write_text(
        "<title>Nystagmus</title><h1>Nystagmus</h1><p>Nystagmus is an involuntary, rhythmic movement "
        "of the eyes.</p><p>It can come with <b>dizziness</b>.</p>"
    )
    admin = Client(f"{url}/admin/", auth=(ADMIN_USER, PASSWORD), verbose=False)
    fields = ["", "https://example.org/nystagmus", "Dr. T", "2026-11-01", "CC0", ""]
    preview = admin.predict(handle_file(str(page)), *fields, api_name="/preview")
    assert "2 passages" in preview and "involuntary" in preview
    assert "nystagmus" not in load_corpus(settings.corpus_dir)
    status, corpus_rows, history_rows = admin.predict(handle_file(str(page)), None, "ann", *fields, api_name="/add")
    assert "add: nystagmus" in status
    assert "nystagmus" in load_corpus(settings.corpus_dir) and history(settings.corpus_dir)[-1].who == "ann"
    deadline = time.monotonic() + 20
    while "nystagmus" not in bot.stored.documents:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert bot.ask("What is nystagmus?").quotes[0].doc_id == "nystagmus"

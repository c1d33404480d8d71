"""The maintainers' page: named accounts, a sign-in that slows guessing, nothing shown before it, and
upload-preview-add-replace-remove on a running server; absent without accounts."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from gradio_client import Client, handle_file

from qa_bot import QABot, QABotError, Settings
from qa_bot.accounts import new_account, read_accounts, save_account
from qa_bot.audit import history
from qa_bot.cli import main
from qa_bot.documents import load_corpus
from qa_bot.embedding import Embedder
from qa_bot.indexing import build_index
from qa_web.admin import PASSWORD_VARIABLE, SHARED_USER, admin_accounts, check_login, mount_admin
from qa_web.admin_login import LoginThrottle, login_delay, total_delay

from .test_app import running, served

pytestmark = pytest.mark.server
PASSWORD = "correct horse battery staple"
SEED = "cerebellar-volume-loss"


def test_login_needs_the_exact_user_and_password() -> None:
    check = check_login({"ann": new_account("ann", PASSWORD)})
    assert check("ann", PASSWORD)
    assert not check("ann", PASSWORD + " ")
    assert not check("bob", PASSWORD)
    assert not check("ann", "")


def test_no_account_means_no_admin_page(isolated_env: pytest.MonkeyPatch, seed_settings: Settings) -> None:
    assert mount_admin(FastAPI(), seed_settings) is False
    isolated_env.setenv(PASSWORD_VARIABLE, "")
    assert mount_admin(FastAPI(), seed_settings) is False


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("x", "has 1 characters; the maintainers' page needs at least 12"),
        ("eleven char", "has 11 characters"),
        ("   ", "begins or ends with spaces"),
        (f" {PASSWORD}", "begins or ends with spaces"),
    ],
)
def test_a_weak_or_padded_password_stops_the_page_with_a_clear_message(
    isolated_env: pytest.MonkeyPatch, seed_settings: Settings, password: str, message: str
) -> None:
    isolated_env.setenv(PASSWORD_VARIABLE, password)
    with pytest.raises(QABotError, match=message):
        mount_admin(FastAPI(), seed_settings)


def test_the_shared_password_signs_in_the_user_maintainer(
    isolated_env: pytest.MonkeyPatch, seed_settings: Settings
) -> None:
    isolated_env.setenv(PASSWORD_VARIABLE, PASSWORD)
    accounts = admin_accounts(seed_settings)
    assert list(accounts) == [SHARED_USER] and accounts[SHARED_USER].matches(PASSWORD)


def test_add_maintainer_writes_a_private_file_of_salted_scrypt_hashes(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "maintainers"
    isolated_env.setenv("QA_BOT_ADMIN_USERS", str(users))
    for name, password in (("ann", PASSWORD), ("bob", "another long password"), ("ann", "ann's new password")):
        isolated_env.setattr("sys.stdin", _Lines(f"{password}\n"))
        assert main(["add-maintainer", name]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"New password for maintainer ann in {users}."
    accounts = read_accounts(users)
    assert sorted(accounts) == ["ann", "bob"] and (users.stat().st_mode & 0o777) == 0o600
    assert accounts["ann"].matches("ann's new password") and not accounts["ann"].matches(PASSWORD)
    assert accounts["bob"].salt != accounts["ann"].salt and PASSWORD not in users.read_text()
    isolated_env.setattr("sys.stdin", _Lines("too short\n"))
    assert main(["add-maintainer", "carl"]) == 1
    assert "at least 12" in capsys.readouterr().err and "carl" not in read_accounts(users)
    isolated_env.setenv(PASSWORD_VARIABLE, PASSWORD)
    with pytest.raises(QABotError, match="unset QA_BOT_ADMIN_PASSWORD"):
        admin_accounts(Settings.from_env())
    users.write_text("ann:md5:abc\n")
    isolated_env.delenv(PASSWORD_VARIABLE)
    with pytest.raises(QABotError, match="line 1: not a maintainer account"):
        admin_accounts(Settings.from_env())


class _Lines:
    """Standard input that is not a terminal."""

    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.text


def test_the_login_delay_schedule_makes_50_guesses_take_over_30_seconds() -> None:
    settings = Settings()
    assert [login_delay(n, settings) for n in range(1, 7)] == pytest.approx([0, 0, 0, 0.05, 0.1, 0.15])
    assert login_delay(10_000, settings) == settings.admin_max_delay_s
    assert total_delay(50, settings) == pytest.approx(0.05 * sum(range(1, 47)))  # 54.05 s; bench/admin_login.py
    assert total_delay(50, settings) >= 30 and total_delay(2000, settings) > 3600


def test_the_throttle_locks_per_client_admits_one_guess_at_a_time_and_forgets() -> None:
    now = [0.0]
    throttle = LoginThrottle(Settings(), clock=lambda: now[0])
    for _ in range(4):
        assert throttle.start("1.2.3.4") == 0
        throttle.finish("1.2.3.4", False)
    assert throttle.start("1.2.3.4") == pytest.approx(0.05)  # the 4th failure locks for 0.05 s
    assert throttle.start("5.6.7.8") == 0  # another client is not slowed
    assert throttle.start("5.6.7.8") == 1.0  # ... but its second guess waits for the first
    throttle.finish("5.6.7.8", None)
    assert throttle.start("5.6.7.8") == 0
    now[0] = 0.06
    assert throttle.start("1.2.3.4") == 0
    throttle.finish("1.2.3.4", False)
    assert throttle.start("1.2.3.4") == pytest.approx(0.1)
    now[0] = 0.06 + Settings().admin_forget_s + 1
    assert throttle.start("1.2.3.4") == 0
    throttle.finish("1.2.3.4", False)
    assert throttle.start("1.2.3.4") == 0  # the count started again: a first failure is free


@pytest.fixture(scope="module")
def site(
    seed_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings, QABot]]:
    """The server as `qa-bot serve` builds it, with two named maintainers (ann, bob), over a corpus copy."""
    root = tmp_path_factory.mktemp("admin")
    shutil.copytree(seed_settings.corpus_dir, root / "corpus")
    users = root / "maintainers"
    for name in ("ann", "bob"):
        save_account(users, new_account(name, f"{name}'s {PASSWORD}"))
    settings = replace(seed_settings, corpus_dir=root / "corpus", index_dir=root / "index", admin_users=users)
    build_index(settings, embedder)
    bot = QABot.load(settings, embedder)
    bot.watch(interval=0.1)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(PASSWORD_VARIABLE, raising=False)
        server_app = served(bot)
    with running(server_app) as url:
        yield url, settings, bot


def sign_in(url: str, name: str, password: str) -> httpx.Response:
    return httpx.post(f"{url}/admin/login", data={"username": name, "password": password})


def test_nothing_of_the_admin_page_is_served_before_sign_in(site: tuple[str, Settings, QABot]) -> None:
    url, _, _ = site
    redirect = httpx.get(f"{url}/admin")
    assert redirect.status_code == 307 and redirect.headers["location"] == "/admin/"
    page = httpx.get(f"{url}/admin", follow_redirects=True)
    assert page.status_code == 200 and str(page.url) == f"{url}/admin/"
    assert '<label for="username">Maintainer name</label>' in page.text
    for secret in ("gradio_api_info", "gradio_config", "/remove", "/add", SEED, "Corpus"):
        assert secret not in page.text
    for route in ("config", "gradio_api/info", "gradio_api/openapi.json"):
        assert httpx.get(f"{url}/admin/{route}").status_code == 401
    for route in ("gradio_api/runs", "gradio_api/runs/", "?page=x"):
        assert "gradio_api_info" not in httpx.get(f"{url}/admin/{route}").text
    assert httpx.post(f"{url}/admin/gradio_api/upload", files={"files": ("a.md", b"x")}).status_code == 401
    with pytest.raises(ValueError, match="Could not login"):
        Client(f"{url}/admin/", auth=("ann", "guess"), verbose=False)
    assert sign_in(url, "ann", f"ann's {PASSWORD}").status_code == 200  # and the failure above is forgotten


def test_failed_sign_ins_are_slowed_per_client_with_429(site: tuple[str, Settings, QABot]) -> None:
    """The real schedule: three free failures, then each locks the client out 0.05 s longer (by the tenth
    0.35 s, longer than a sign-in takes, so the next one comes too early)."""
    url, settings, _ = site
    began = time.monotonic()
    refused = []
    for _ in range(10):
        while (response := sign_in(url, "ann", "wrong password")).status_code == 429:
            refused.append(response)
            time.sleep(float(response.json()["retry_after"]))
        assert response.status_code == 400
    elapsed = time.monotonic() - began
    assert elapsed >= total_delay(10, settings)
    assert refused and all(r.headers["retry-after"] == "1" for r in refused)
    assert "Too many failed sign-ins from your address: wait 1 s" in refused[0].json()["detail"]
    locked = sign_in(url, "ann", f"ann's {PASSWORD}")  # even the right password waits its turn
    assert locked.status_code == 429
    time.sleep(float(locked.json()["retry_after"]))
    assert sign_in(url, "ann", f"ann's {PASSWORD}").status_code == 200
    assert sign_in(url, "ann", "wrong password").status_code == 400  # a success cleared the count
    assert sign_in(url, "ann", f"ann's {PASSWORD}").status_code == 200


def test_patients_app_exposes_no_maintainer_action_and_takes_no_upload(site: tuple[str, Settings, QABot]) -> None:
    url, _, _ = site
    endpoints = Client(f"{url}/", verbose=False).view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert "/chat" in endpoints
    assert not {"/add", "/replace", "/remove", "/preview"} & set(endpoints)
    for route in ("upload", "process_recording"):
        assert httpx.post(f"{url}/gradio_api/{route}", files={"files": ("a.md", b"x")}).status_code == 404


def test_an_upload_over_the_limit_is_refused_with_413(site: tuple[str, Settings, QABot]) -> None:
    url, settings, _ = site
    cookies = sign_in(url, "bob", f"bob's {PASSWORD}").cookies
    big = b"a" * (settings.max_upload_bytes + 1)
    response = httpx.post(f"{url}/admin/gradio_api/upload", files={"files": ("big.md", big)}, cookies=cookies)
    assert response.status_code == 413 and "byte limit" in response.json()["detail"]
    small = httpx.post(f"{url}/admin/gradio_api/upload", files={"files": ("a.md", b"hello")}, cookies=cookies)
    assert small.status_code == 200


def test_maintainers_add_replace_and_remove_under_their_own_names(
    site: tuple[str, Settings, QABot], tmp_path: Path
) -> None:
    url, settings, bot = site
    page = tmp_path / "nystagmus.html"
    page.write_text(
        "<title>Nystagmus</title><h1>Nystagmus</h1><p>Nystagmus is an involuntary, rhythmic movement "
        "of the eyes.</p><p>It can come with <b>dizziness</b>.</p>"
    )
    ann = Client(f"{url}/admin/", auth=("ann", f"ann's {PASSWORD}"), verbose=False)
    fields = ["", "https://example.org/nystagmus", "Dr. T", "2026-11-01", "CC0", ""]
    preview = ann.predict(handle_file(str(page)), *fields, api_name="/preview")
    assert "<strong>2 passages</strong>" in preview and "involuntary" in preview and "**" not in preview
    assert "nystagmus" not in load_corpus(settings.corpus_dir)
    status, _, history_rows, choice, _ = ann.predict(handle_file(str(page)), *fields, api_name="/add")
    assert "add: nystagmus" in status and history_rows["data"][0][1:4] == ["add", "nystagmus", "ann"]
    assert choice["value"] is None and [c[0] for c in choice["choices"]] == [SEED, "nystagmus"]
    assert history(settings.corpus_dir)[-1].who == "ann"
    deadline = time.monotonic() + 20
    while "nystagmus" not in bot.stored.documents:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert bot.ask("What is nystagmus?").quotes[0].doc_id == "nystagmus"
    bob = Client(f"{url}/admin/", auth=("bob", f"bob's {PASSWORD}"), verbose=False)
    page.write_text(page.read_text().replace("rhythmic", "repetitive"))
    status, *_ = bob.predict(handle_file(str(page)), "nystagmus", *fields, api_name="/replace")
    assert "replace: nystagmus" in status and "repetitive" in load_corpus(settings.corpus_dir)["nystagmus"].body
    status, corpus_rows, _, _, _ = bob.predict("nystagmus", api_name="/remove")
    assert "remove: nystagmus" in status and [row[0] for row in corpus_rows["data"]] == [SEED]
    assert [(c.action, c.who) for c in history(settings.corpus_dir)[-3:]] == [
        ("add", "ann"), ("replace", "bob"), ("remove", "bob")
    ]
    status, *_ = ann.predict(handle_file(str(page)), *fields, api_name="/add")  # the lists are current
    assert "add: nystagmus" in status

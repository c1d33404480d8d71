"""The maintainers' page: upload, preview, add, replace or remove documents; corpus and history.

It is a separate Gradio app, mounted at /admin only when maintainers' accounts are configured
(QA_BOT_ADMIN_USERS, or one shared QA_BOT_ADMIN_PASSWORD for the user `maintainer`), behind the
sign-in of qa_web/admin_login.py. The history records the signed-in name. The patients' app has
none of these actions, in UI or API.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import gradio as gr
from fastapi import FastAPI
from starlette.routing import Mount

from qa_bot import QABotError, Settings
from qa_bot.accounts import Account, check_password, new_account, read_accounts, verify
from qa_bot.audit import history
from qa_bot.converters import extract
from qa_bot.corpus_changes import (
    add_document,
    chunk_counts,
    near_duplicates,
    prepare,
    remove_document,
    replace_document,
    slug,
)
from qa_bot.documents import MAX_DOCUMENT_BYTES, Document, load_corpus, read_file_limited
from qa_bot.embedding import Embedder, shared_embedder
from qa_bot.indexing import chunk_corpus
from qa_web.admin_login import AdminGate, LoginThrottle
from qa_web.html import escape as _inert

PASSWORD_VARIABLE = "QA_BOT_ADMIN_PASSWORD"
SHARED_USER = "maintainer"
METADATA = ("title", "source", "reviewed_by", "reviewed_on", "license", "id")


def admin_accounts(settings: Settings) -> dict[str, Account] | None:
    """The accounts that may sign in: those of the QA_BOT_ADMIN_USERS file, or `maintainer` with the
    shared QA_BOT_ADMIN_PASSWORD; None (no admin page) when neither is set. A QABotError when either is
    unusable (a password under 12 characters, with surrounding spaces, an empty or broken file)."""
    password = os.environ.get(PASSWORD_VARIABLE)
    if settings.admin_users is not None:
        if password is not None:
            raise QABotError(
                f"Both QA_BOT_ADMIN_USERS and {PASSWORD_VARIABLE} are set; unset {PASSWORD_VARIABLE} "
                "(named accounts replace the shared password)."
            )
        accounts = read_accounts(settings.admin_users)
        if not accounts:
            raise QABotError(f"{settings.admin_users} holds no account; add one with `qa-bot add-maintainer NAME`.")
        return accounts
    if password is None or password == "":
        return None
    return {SHARED_USER: new_account(SHARED_USER, check_password(password, PASSWORD_VARIABLE))}


def check_login(accounts: dict[str, Account]) -> Callable[[str, str], bool]:
    """A Gradio auth function checking a name and password against `accounts` (scrypt, constant time)."""
    return lambda user, given: verify(accounts, user, given)


def build_admin(settings: Settings) -> gr.Blocks:
    """The maintainers' page for the corpus and index of `settings`; the passage embedder (torch)
    loads at the first preview or change, not with the page."""

    def embedder() -> Embedder:
        return shared_embedder(settings.model)

    def upload(path: str | None, *values: str) -> Document:
        if not path:
            raise gr.Error("Choose a file to upload first.")
        meta = dict(zip(METADATA, values, strict=True))
        try:
            return prepare(Path(path).name, read_file_limited(Path(path)), meta)
        except QABotError as err:
            raise gr.Error(str(err)) from None

    def fill_fields(path: str | None) -> list:
        """The metadata the uploaded file gives (front matter, an HTML title), leaving the other fields as typed."""
        if not path:
            return [gr.update() for _ in METADATA]
        try:
            meta, _ = extract(Path(path).name, Path(path).read_bytes())
        except QABotError as err:
            gr.Warning(str(err))
            return [gr.update() for _ in METADATA]
        meta.setdefault("id", slug(Path(path).stem))
        return [gr.update(value=meta[name]) if meta.get(name) else gr.update() for name in METADATA]

    def preview(path: str | None, *values: str) -> str:
        doc = upload(path, *values)
        chunks = chunk_corpus({doc.id: doc}, embedder(), settings)
        warnings = near_duplicates(doc, load_corpus(settings.corpus_dir))
        count = f"{len(chunks)} passage{'s' if len(chunks) != 1 else ''}"
        heading = f"<strong>{count}</strong> from <code>{_inert(doc.id)}</code> — {_inert(doc.title)}"
        lines = [f"<p>{heading}</p>"]
        lines += [f'<p class="qa-warning">⚠ {_inert(w)}</p>' for w in warnings]
        items = "".join(f"<li>{_inert(doc.body[c.start : c.end][:300])}</li>" for c in chunks)
        return "".join(lines) + f"<ol>{items}</ol>"

    def done(report: object) -> tuple:
        notes = "".join(f"\n\n⚠ {w}" for w in report.warnings)
        change = report.change
        return (_inert(f"{change.action}: {change.doc_id}, now serving {change.index_version}.{notes}"),
                *lists(), gr.update(visible=False), "")

    def run(action: Callable[[], object]) -> tuple:
        try:
            return done(action())
        except QABotError as err:
            raise gr.Error(str(err)) from None

    def add(request: gr.Request, path: str | None, *values: str) -> tuple:
        doc = upload(path, *values)
        return run(lambda: add_document(settings, embedder(), doc, request.username))

    def replace(request: gr.Request, path: str | None, target: str | None, *values: str) -> tuple:
        doc = upload(path, *values)
        return run(lambda: replace_document(settings, embedder(), chosen(target), doc, request.username))

    def remove(request: gr.Request, target: str | None) -> tuple:
        return run(lambda: remove_document(settings, embedder(), chosen(target), request.username))

    def chosen(target: str | None) -> str:
        if not target:
            raise gr.Error("Choose the document to replace or remove first.")
        return target

    def confirm_removal(target: str | None) -> tuple:
        documents = load_corpus(settings.corpus_dir)
        doc = documents.get(chosen(target))
        title = f" — {doc.title}" if doc else ""
        question = f"Remove **{_inert(chosen(target))}**{_inert(title)} from the corpus?"
        return gr.update(visible=True), f"{question} Patients stop getting its quotes at once."

    def lists() -> tuple:
        """The corpus and history tables and the choice of documents, as they are now (nothing chosen)."""
        documents = load_corpus(settings.corpus_dir)
        counts = chunk_counts(settings)
        corpus = [[d.id, d.title, counts.get(d.id, 0), d.reviewed_by, d.reviewed_on, d.license, d.source]
                  for d in documents.values()]
        changes = [[c.when, c.action, c.doc_id, c.who, c.reviewed_by, c.content_hash[:12]]
                   for c in reversed(history(settings.corpus_dir))]
        return corpus, changes, gr.update(choices=list(documents), value=None)

    def visit(request: gr.Request) -> tuple:
        return (f"Signed in as **{_inert(request.username or '')}**: your changes are recorded under this name. "
                "[Sign out](logout)", *lists())

    with gr.Blocks(title="qa_bot — maintainers") as admin:
        gr.Markdown("## Maintainers: vetted documents\nEvery change is checked, indexed at once and logged.")
        signed_in = gr.Markdown(elem_id="admin-user")
        with gr.Row():
            file = gr.File(
                label="Document file (.md, .txt, .html, .pdf)",
                type="filepath",
                file_types=[".md", ".txt", ".html", ".htm", ".pdf"],
            )
            with gr.Column():
                fields = [gr.Textbox(label=name.replace("_", " ").capitalize()) for name in METADATA]
        # The choices are refreshed on every visit and change; the corpus on disk, not a page's copy of the
        # list, decides whether an id exists (so a page open while others change the corpus never fails).
        target = gr.Dropdown(label="Document to replace or remove", choices=[], value=None, allow_custom_value=True)
        with gr.Row():
            preview_button = gr.Button("Preview passages")
            add_button = gr.Button("Add to corpus", variant="primary")
            replace_button = gr.Button("Replace selected document")
            remove_button = gr.Button("Remove selected document", variant="stop")
        with gr.Group(visible=False, elem_id="admin-confirm") as confirm_box:
            confirm_text = gr.Markdown()
            with gr.Row():
                confirm_button = gr.Button("Yes, remove it", variant="stop")
                cancel_button = gr.Button("Cancel")
        status = gr.Markdown(label="Result", elem_id="admin-status")
        passages = gr.HTML(label="Preview", elem_id="admin-preview")
        corpus_table = gr.Dataframe(
            headers=["id", "title", "passages", "reviewed by", "reviewed on", "license", "source"],
            label="Corpus",
            interactive=False,
        )
        history_table = gr.Dataframe(
            headers=["when", "action", "id", "who", "reviewed by", "sha256"],
            label="History",
            interactive=False,
        )
        changed = [status, corpus_table, history_table, target, confirm_box, passages]  # the preview is cleared
        admin.load(visit, None, [signed_in, corpus_table, history_table, target], api_name=False)
        file.upload(fill_fields, file, fields, api_name=False)
        preview_button.click(preview, [file, *fields], passages, api_name="preview")
        add_button.click(add, [file, *fields], changed, api_name="add")
        replace_button.click(replace, [file, target, *fields], changed, api_name="replace")
        remove_button.click(confirm_removal, target, [confirm_box, confirm_text], api_name=False)
        confirm_button.click(remove, target, changed, api_name="remove")
        cancel_button.click(lambda: gr.update(visible=False), None, confirm_box, api_name=False)
    return admin


def mount_admin(app: FastAPI, settings: Settings) -> bool:
    """Mount the maintainers' page at /admin, behind its sign-in, when accounts are configured; True if mounted."""
    accounts = admin_accounts(settings)
    if accounts is None:
        return False
    gr.mount_gradio_app(
        app, build_admin(settings), path="/admin", auth=check_login(accounts), max_file_size=MAX_DOCUMENT_BYTES,
        run_history=False,
    )
    page = next(r.app for r in app.routes if isinstance(r, Mount) and r.path == "/admin")
    app.add_middleware(AdminGate, gradio_app=page, throttle=LoginThrottle(settings))
    return True

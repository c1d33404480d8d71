"""The maintainers' page: upload, preview, add, replace or remove documents; corpus and history.

It is a separate Gradio app, mounted at /admin only when QA_BOT_ADMIN_PASSWORD is set, behind
a login checked in constant time. The patients' app has none of these actions, in UI or API.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from pathlib import Path

import gradio as gr
from fastapi import FastAPI

from qa_bot import QABotError, Settings
from qa_bot.audit import history
from qa_bot.corpus_changes import (
    add_document,
    chunk_counts,
    near_duplicates,
    prepare,
    remove_document,
    replace_document,
)
from qa_bot.documents import Document, load_corpus, read_file_limited
from qa_bot.embedding import Embedder, shared_embedder
from qa_bot.indexing import chunk_corpus
from qa_web.html import escape as _inert

PASSWORD_VARIABLE = "QA_BOT_ADMIN_PASSWORD"
ADMIN_USER = "maintainer"
METADATA = ("title", "source", "reviewed_by", "reviewed_on", "license", "id")


def admin_password() -> str | None:
    """The maintainers' password from the environment; None (no admin page) when unset or blank."""
    return os.environ.get(PASSWORD_VARIABLE, "").strip() or None


def check_login(password: str) -> Callable[[str, str], bool]:
    """A Gradio auth function comparing user name and password in constant time."""

    def check(user: str, given: str) -> bool:
        user_ok = hmac.compare_digest(user.encode(), ADMIN_USER.encode())
        return hmac.compare_digest(given.encode(), password.encode()) and user_ok

    return check


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

    def preview(path: str | None, *values: str) -> str:
        doc = upload(path, *values)
        chunks = chunk_corpus({doc.id: doc}, embedder(), settings)
        warnings = near_duplicates(doc, load_corpus(settings.corpus_dir))
        lines = [f"**{len(chunks)} passages** from `{doc.id}` — {doc.title}", *(f"> ⚠ {w}" for w in warnings)]
        lines += [f"{n}. {doc.body[c.start : c.end][:300]}" for n, c in enumerate(chunks, 1)]
        return "\n\n".join(_inert(line) for line in lines)

    def change(action: str, path: str | None, target: str, who: str, *values: str) -> tuple[str, list, list]:
        try:
            if action == "add":
                report = add_document(settings, embedder(), upload(path, *values), who or None)
            elif action == "replace":
                report = replace_document(settings, embedder(), target, upload(path, *values), who or None)
            else:
                report = remove_document(settings, embedder(), target, who or None)
        except QABotError as err:
            raise gr.Error(str(err)) from None
        notes = "".join(f"\n\n⚠ {w}" for w in report.warnings)
        done = f"{report.change.action}: {report.change.doc_id}, now serving {report.change.index_version}.{notes}"
        return _inert(done), corpus_rows(), history_rows()

    def corpus_rows() -> list[list]:
        counts = chunk_counts(settings)
        return [
            [d.id, d.title, counts.get(d.id, 0), d.reviewed_by, d.reviewed_on, d.license, d.source]
            for d in load_corpus(settings.corpus_dir).values()
        ]

    def history_rows() -> list[list]:
        return [
            [c.when, c.action, c.doc_id, c.who, c.reviewed_by, c.content_hash[:12]]
            for c in reversed(history(settings.corpus_dir))
        ]

    with gr.Blocks(title="qa_bot — maintainers") as admin:
        gr.Markdown("## Maintainers: vetted documents\nEvery change is checked, indexed at once and logged.")
        with gr.Row():
            file = gr.File(
                label="Document file (.md, .txt, .html, .pdf)",
                type="filepath",
                file_types=[".md", ".txt", ".html", ".htm", ".pdf"],
            )
            with gr.Column():
                fields = [gr.Textbox(label=name.replace("_", " ").capitalize()) for name in METADATA]
        who = gr.Textbox(label="Your name (recorded in the history)")
        target = gr.Dropdown(label="Document to replace or remove", choices=list(load_corpus(settings.corpus_dir)))
        with gr.Row():
            preview_button = gr.Button("Preview passages")
            add_button = gr.Button("Add to corpus", variant="primary")
            replace_button = gr.Button("Replace selected document")
            remove_button = gr.Button("Remove selected document", variant="stop")
        status = gr.Markdown(label="Result")
        corpus_table = gr.Dataframe(
            corpus_rows,
            headers=["id", "title", "passages", "reviewed by", "reviewed on", "license", "source"],
            label="Corpus",
            interactive=False,
        )
        history_table = gr.Dataframe(
            history_rows,
            headers=["when", "action", "id", "who", "reviewed by", "sha256"],
            label="History",
            interactive=False,
        )
        preview_button.click(preview, [file, *fields], status, api_name="preview")
        for button, action in ((add_button, "add"), (replace_button, "replace"), (remove_button, "remove")):
            button.click(
                lambda path, tgt, name, *vals, act=action: change(act, path, tgt, name, *vals),
                [file, target, who, *fields],
                [status, corpus_table, history_table],
                api_name=action,
            ).then(lambda: gr.Dropdown(choices=list(load_corpus(settings.corpus_dir))), None, target)
    return admin


def mount_admin(app: FastAPI, settings: Settings) -> bool:
    """Mount the maintainers' page at /admin when a password is set; True if mounted."""
    password = admin_password()
    if password is None:
        return False
    gr.mount_gradio_app(app, build_admin(settings), path="/admin", auth=check_login(password))
    return True

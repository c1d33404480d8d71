"""The maintainers' `qa-bot` commands: add, replace, remove, list, check, history, accounts and ratings."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from . import accounts, audit, corpus_changes, feedback
from .config import Settings
from .documents import load_corpus, read_file_limited
from .errors import QABotError
from .model_files import locate_model
from .query_log import open_query_log

if TYPE_CHECKING:
    from .embedding import Embedder

Metadata = dict[str, str | None]  # front-matter fields given on the command line (None: the file's)


def passage_embedder(settings: Settings) -> Embedder:
    """The passage embedder (sentence-transformers and torch), for the commands that embed."""
    from .embedding import shared_embedder

    return shared_embedder(settings.model)


def add(settings: Settings, file: Path, meta: Metadata, by: str | None) -> int:
    """`qa-bot add FILE`: add a vetted document and serve the new index."""
    doc = corpus_changes.prepare(file.name, read_file_limited(file), meta)
    report = corpus_changes.add_document(settings, passage_embedder(settings), doc, by)
    return _report(report)


def replace(settings: Settings, doc_id: str, file: Path, meta: Metadata, by: str | None) -> int:
    """`qa-bot replace DOC_ID FILE`: a new version of a document, in one step."""
    doc = corpus_changes.prepare(file.name, read_file_limited(file), {**meta, "id": doc_id})
    report = corpus_changes.replace_document(settings, passage_embedder(settings), doc_id, doc, by)
    return _report(report)


def remove(settings: Settings, doc_id: str, by: str | None) -> int:
    """`qa-bot remove DOC_ID`."""
    return _report(corpus_changes.remove_document(settings, passage_embedder(settings), doc_id, by))


def list_documents(settings: Settings, as_json: bool) -> int:
    """`qa-bot list`: documents with their metadata and passage counts."""
    counts = corpus_changes.chunk_counts(settings)
    for doc in load_corpus(settings.corpus_dir).values():
        if as_json:  # one JSON object a line, as `ask --json`
            print(json.dumps({"id": doc.id, "title": doc.title, "publisher": doc.publisher, "source": doc.source,
                              "review": doc.review, "reviewed_by": doc.reviewed_by, "reviewed_on": doc.reviewed_on,
                              "license": doc.license, "retrieved": doc.retrieved, "passages": counts.get(doc.id, 0)},
                             ensure_ascii=False))
            continue
        print(
            f"{doc.id}\t{doc.title}\t{counts.get(doc.id, 0)} passages\treviewed by {doc.reviewed_by} "
            f"({doc.reviewed_on})\t{doc.license}\t{doc.source}"
        )
    return 0


def check(settings: Settings) -> int:
    """`qa-bot check`: whether the index matches the corpus (exit 1 when not)."""
    found = corpus_changes.differences(settings, locate_model(settings.model).weights_sha256)
    for line in found:
        print(line)
    if found:
        print("The index does not match the corpus: run `qa-bot build`.", file=sys.stderr)
        return 1
    print("The index matches the corpus.")
    return 0


def history(settings: Settings) -> int:
    """`qa-bot history`: the corpus audit trail."""
    for change in audit.history(settings.corpus_dir):
        print(
            f"{change.when}\t{change.action}\t{change.doc_id}\tby {change.who}\treviewed by "
            f"{change.reviewed_by} ({change.reviewed_on})\tsha256 {change.content_hash[:12]}\t{change.index_version}"
        )
    return 0


def ratings(settings: Settings, rating: str | None, as_json: bool) -> int:
    """`qa-bot feedback`: the ratings of answers, oldest first."""
    for entry in feedback.read_feedback(settings.feedback_dir):
        if rating and entry.rating != rating:
            continue
        if as_json:
            print(json.dumps(asdict(entry), ensure_ascii=False))
            continue
        quoted = ", ".join(f"{q.doc_id}[{q.start}:{q.end}]" for q in entry.quotes) or "no quotes"
        comment = f"\t{entry.comment!r}" if entry.comment else ""
        question = "(an emergency or crisis: not kept)" if entry.question is None else repr(entry.question)
        print(f"{entry.when}\t{entry.rating}\t{question}\t{quoted}\t{entry.index_version}{comment}")
    return 0


def prune(settings: Settings) -> int:
    """`qa-bot prune`: delete ratings and logged questions past their retention."""
    ratings = feedback.prune(settings.feedback_dir, settings.feedback_retention_days)
    log = open_query_log(settings)
    questions = f", {log.prune()} logged questions over {log.retention_days} days old" if log else ""
    print(f"Deleted {ratings} ratings over {settings.feedback_retention_days} days old{questions}.")
    return 0


def add_maintainer(settings: Settings, name: str) -> int:
    """`qa-bot add-maintainer NAME`: an account (or a new password) for the maintainers' page."""
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name} ({accounts.MIN_PASSWORD_CHARS} characters or more): ")
        if getpass.getpass("The same password again: ") != password:
            raise QABotError("The two passwords differ; nothing was changed.")
    else:  # a script gives the password as one line on standard input
        password = sys.stdin.readline().rstrip("\r\n")
    added = accounts.save_account(settings.admin_users, accounts.new_account(name, password))
    print(f"{'Added' if added else 'New password for'} maintainer {name} in {settings.admin_users}.")
    return 0


def _report(report: corpus_changes.ChangeReport) -> int:
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    change = report.change
    print(f"{change.action}: {change.doc_id} ({report.chunks} passages); now serving index {change.index_version}.")
    return 0

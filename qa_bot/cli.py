"""The `qa-bot` command: a thin shell over the library that turns its errors into exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

from .answer import Answer
from .bot import QABot
from .config import PROJECT_ROOT, Settings
from .embedding import Embedder, shared_embedder
from .errors import IndexNotBuilt, QABotError
from .index_store import read_index
from .indexing import build_index, staleness
from .texts import texts


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `qa-bot` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, model=args.model)
    try:
        return args.run(args, settings)
    except QABotError as err:
        print(f"qa-bot: {err}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace, settings: Settings) -> int:
    embedder = shared_embedder(settings.model)
    if not args.force:
        reason = _why_rebuild(settings, embedder)
        if reason is None:
            print(f"The index in {settings.index_dir} is up to date.")
            return 0
        print(f"Building the index: {reason}.")
    report = build_index(settings, embedder, show_progress=True)
    print(f"Built index {report.version}: {report.documents} documents, {report.chunks} passages in {report.seconds:.1f} s.")
    return 0


def _why_rebuild(settings: Settings, embedder: Embedder) -> str | None:
    try:
        stored = read_index(settings.index_dir)
    except IndexNotBuilt:
        return "there is no usable index yet"
    return staleness(stored, settings, embedder.weights_sha256)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    questions = list(_questions(args))
    if not questions:
        print("qa-bot: give a question, or --file PATH with one question per line.", file=sys.stderr)
        return 2
    bot = QABot.load(settings)
    failures = 0
    for number, question in enumerate(questions, start=1):
        try:
            answer = bot.ask(question)
        except QABotError as err:
            failures += 1
            print(f"qa-bot: question {number}: {err}", file=sys.stderr)
            continue
        print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(question, answer))
        sys.stdout.flush()
    return 1 if failures else 0


def _questions(args: argparse.Namespace) -> Iterator[str]:
    yield from args.questions
    if args.file:
        handle = sys.stdin if args.file == "-" else Path(args.file).open(encoding="utf-8")
        with handle:
            yield from (line.rstrip("\n") for line in handle if line.strip())


def format_answer(question: str, answer: Answer) -> str:
    """Readable plain text of an answer: the question, notices, numbered quotes, the disclaimer."""
    lines = [f"Question: {question}", ""]
    lines += [f"! {notice}" for notice in answer.notices]
    for number, quote in enumerate(answer.quotes, start=1):
        lines += [
            "",
            f"[{number}] {quote.title} (relevance {quote.score:.2f})",
            f"    Source: {quote.source}",
            *(f"    > {line}" for line in quote.text.splitlines()),
            f"    Most relevant sentence: {quote.highlight.text}",
        ]
    lines += ["", f"Disclaimer: {answer.disclaimer}", ""]
    return "\n".join(lines)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import importlib.util

    spec = importlib.util.spec_from_file_location("qa_bot_app", PROJECT_ROOT / "app.py")
    if spec is None or spec.loader is None:
        raise QABotError(f"{PROJECT_ROOT / 'app.py'} is missing; reinstall qa-bot from its repository.")
    app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(app)
    print(f"qa_bot texts version {texts().version}; serving on http://{args.host}:{args.port}")
    app.serve(QABot.load(settings), host=args.host, port=args.port)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa-bot", description="Answer health questions by quoting vetted documents.")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: corpus/, or QA_BOT_CORPUS)")
    parser.add_argument("--index", type=Path, help="index folder (default: index/, or QA_BOT_INDEX)")
    parser.add_argument("--model", help="sentence-transformers model name or path (default: all-MiniLM-L6-v2)")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the index when it is missing or out of date")
    build.add_argument("--force", action="store_true", help="rebuild even when the index is up to date")
    build.set_defaults(run=_build)

    ask = commands.add_parser("ask", help="answer one or more questions")
    ask.add_argument("questions", nargs="*", metavar="QUESTION")
    ask.add_argument("--file", metavar="PATH", help="read questions one per line ('-' for standard input)")
    ask.add_argument("--json", action="store_true", help="print each answer as one JSON object per line")
    ask.set_defaults(run=_ask)

    serve = commands.add_parser("serve", help="start the chat in a browser")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.set_defaults(run=_serve)
    return parser


if __name__ == "__main__":
    sys.exit(main())

"""The `qa-bot` command: a thin shell over the library that turns its errors into exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from . import change_journal
from . import cli_maintainers as maintainers
from .answer import Answer, SearchResults
from .bot import QABot
from .cli_maintainers import passage_embedder
from .config import PROJECT_ROOT, Settings
from .documents import load_corpus
from .errors import IndexNotBuilt, QABotError
from .feedback import RATINGS
from .index_store import read_manifest, writer_lock
from .indexing import build_index, compare_index, summary
from .model_files import locate_model
from .notices import urgent_first
from .onnx_encoder import question_encoder
from .onnx_export import export_onnx, onnx_path
from .safety_neighbours import EmergencyNeighbours
from .terminal import end_on_closed_pipe, json_printable, printable
from .texts import texts


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `qa-bot` console script."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(corpus_dir=args.corpus, index_dir=args.index, model=args.model)
        change_journal.settle(settings)  # every command first completes or undoes a change cut short
        status = args.run(args, settings)
        sys.stdout.flush()  # here, where a reader that went away is still caught
        return status
    except QABotError as err:
        print(f"qa-bot: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `qa-bot ask … | head -1`: the reader has all it wanted
        return end_on_closed_pipe()


def _build(args: argparse.Namespace, settings: Settings) -> int:
    reason = "a rebuild was asked for" if args.force else _why_rebuild(settings)
    if reason is None:
        with writer_lock(settings.index_dir):  # what interrupted writers left is removed all the same
            change_journal.recover(settings)
            print(f"The index in {settings.index_dir} is up to date.")
    else:
        print(f"Building the index: {reason}.")
        report = build_index(settings, passage_embedder(settings), show_progress=True)
        print(
            f"Built index {report.version}: {report.documents} documents, {report.chunks} passages "
            f"in {report.seconds:.1f} s."
        )
    weights = locate_model(settings.model).weights_sha256
    if settings.query_backend == "onnx" and not onnx_path(settings.onnx_dir, weights).is_file():
        export_onnx(passage_embedder(settings), settings.onnx_dir)  # questions are embedded without torch from now on
        print(f"Exported the model for question embedding to {settings.onnx_dir}.")
    # the reviewed safety examples are embedded once here, so a first question does not wait for them
    EmergencyNeighbours.embedded(question_encoder(settings), settings.onnx_dir)
    return 0


def _why_rebuild(settings: Settings) -> str | None:
    try:
        _, manifest, indexed = read_manifest(settings.index_dir)
    except IndexNotBuilt:
        return "there is no usable index yet"
    corpus = load_corpus(settings.corpus_dir)
    reasons = compare_index(manifest, indexed, settings, locate_model(settings.model).weights_sha256, corpus).reasons()
    return summary(reasons) if reasons else None


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    questions = list(_questions(args))
    if not any(question for question, _ in questions):
        print("qa-bot: give a question, or --file PATH with one question per line.", file=sys.stderr)
        return 2
    bot = QABot.load(settings)
    failures = 0
    for number, (question, earlier) in enumerate(questions, start=1):
        try:
            answer = bot.ask(question, earlier, args.subject)
        except QABotError as err:
            failures += 1
            print(f"qa-bot: question {number}: {err}", file=sys.stderr)
            continue
        shown = json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else format_answer(question, answer)
        print(json_printable(shown) if args.json else printable(shown))  # no terminal codes from a document
        sys.stdout.flush()
    return 1 if failures else 0


def _search(args: argparse.Namespace, settings: Settings) -> int:
    results = QABot.load(settings).search(args.query, args.limit)
    if args.json:
        data = {"query": results.query, "passages": [asdict(hit) for hit in results.hits]}
        print(json_printable(json.dumps(data, ensure_ascii=False)))
    else:
        print(printable(format_search(results)))  # no terminal codes from a document
    return 0


def format_search(results: SearchResults) -> str:
    """Readable plain text of the staff search: the passages best first, each with its match and citation."""
    lines = [f"Search: {results.query}", ""]
    if not results.hits:
        return "\n".join([*lines, texts().no_passages_match, ""])
    lines.append(texts().search_match)
    for number, hit in enumerate(results.hits, start=1):
        section = f" · Section: {hit.section}" if hit.section else ""
        lines += [
            "",
            f"[{number}] match {hit.match_percent} · {hit.title}{section}",
            f"    Source: {hit.source}",
            *(f"    > {line}" for line in hit.text.splitlines()),
        ]
    return "\n".join([*lines, ""])


def _questions(args: argparse.Namespace) -> Iterator[tuple[str, list[str]]]:
    """Each question with the earlier questions of its conversation (none without --conversation)."""
    yield from ((question, []) for question in args.questions)
    if args.file:
        text = sys.stdin.read() if args.file == "-" else _read(Path(args.file)).decode("utf-8", "replace")
        earlier: list[str] = []
        for line in text.splitlines():
            if not line.strip():
                earlier = []  # a blank line starts a new conversation
                continue
            yield line, list(earlier) if args.conversation else []
            earlier.append(line)


def format_answer(question: str, answer: Answer) -> str:
    """Readable plain text of an answer: the question, notices, numbered quotes, the disclaimer."""
    lines = [f"Question: {question}", ""]
    lines += [f"{'!!!' if notice.urgent else '!'} {notice.text}" for notice in urgent_first(answer.notices)]
    for number, quote in enumerate(answer.quotes, start=1):
        lines += [
            "",
            f"[{number}] {quote.title} (relevance {quote.score:.2f})",
            f"    Source: {quote.source}",
            *([f"    {quote.provenance}"] if quote.provenance else []),
            *(f"    > {line}" for line in quote.text.splitlines()),
            f"    Most relevant sentence: {quote.highlight.text}",
        ]
    lines += [f"  * {choice}" for choice in answer.choices]
    if answer.suggestions:
        lines += ["", "Questions the documents can answer:", *(f"  * {s}" for s in answer.suggestions)]
    lines += ["", f"Disclaimer: {answer.disclaimer}", ""]
    return "\n".join(lines)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from qa_web.server import serve  # the web shell (and gradio) loads only for this command

    print(f"qa_bot texts version {texts().version}; serving on http://{args.host}:{args.port}")
    bot = QABot.load(settings)
    bot.watch()  # maintainers' updates are served without a restart
    serve(bot, host=args.host, port=args.port)
    return 0


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    try:  # the measurement package, loaded only here: no other command needs it
        from qa_eval import analysis, benchmark, corpus
    except ModuleNotFoundError as err:
        raise QABotError(
            f"`qa-bot eval` needs the measurement package qa_eval ({err.name} is missing): "
            "install it with `pip install -e '.[eval]'` in the qa_bot repository."
        ) from None
    docs = args.docs or settings.corpus_dir
    if not docs.exists():
        raise QABotError(f"{docs} does not exist; give --docs a corpus folder or a docs.jsonl file.")
    embedder = passage_embedder(settings)
    if docs.is_dir():
        report = corpus.evaluate_corpus(args.questions, docs, args.cache, embedder, settings)
    else:
        report = benchmark.evaluate(args.questions, docs, args.cache, embedder, settings)
    print(benchmark.format_table(report))
    print(f"latency p50: {report['latency']['total_p50_ms']} ms, {report['latency']['ratio_p50']}x embedding alone")
    abstention = report["abstention"]
    print(
        f"min_relevance chosen: {abstention['chosen_threshold']['hybrid']} (configured "
        f"{abstention['configured_min_relevance']}; set QA_BOT_MIN_RELEVANCE to change it)"
    )
    messages = analysis.analysis_report(args.questions, docs, args.cache, embedder, settings)
    if messages is not None:  # questions with a subject line or annotated focus and kind
        report["message_analysis"] = messages
        print(analysis.summary(messages))
    if "absent" in report:
        print(f"not measured: {', '.join(report['absent'])} (see `absent` in the JSON report)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise QABotError(f"cannot read {path}: {err.strerror}.") from None


def _maintainer_commands(commands: argparse._SubParsersAction) -> None:
    metadata = argparse.ArgumentParser(add_help=False)
    for name in ("title", "source", "reviewed-by", "reviewed-on", "license", "id"):
        metadata.add_argument(f"--{name}", help=f"document {name.replace('-', ' ')} (overrides the file's)")
    metadata.add_argument("--by", help="who makes the change (default: $QA_BOT_MAINTAINER or your user name)")

    add = commands.add_parser("add", parents=[metadata], help="add a vetted document (.md, .txt, .html, .pdf)")
    add.add_argument("file", type=Path, metavar="FILE")
    add.set_defaults(run=lambda args, settings: maintainers.add(settings, args.file, _metadata(args), args.by))
    replace = commands.add_parser("replace", parents=[metadata], help="replace a document with a new version")
    replace.add_argument("doc_id", metavar="DOC_ID")
    replace.add_argument("file", type=Path, metavar="FILE")
    replace.set_defaults(
        run=lambda args, settings: maintainers.replace(settings, args.doc_id, args.file, _metadata(args), args.by))
    remove = commands.add_parser("remove", help="remove a document")
    remove.add_argument("doc_id", metavar="DOC_ID")
    remove.add_argument("--by", help="who makes the change")
    remove.set_defaults(run=lambda args, settings: maintainers.remove(settings, args.doc_id, args.by))
    listing = commands.add_parser("list", help="list documents with metadata and passage counts")
    listing.add_argument("--json", action="store_true", help="one JSON object per document")
    listing.set_defaults(run=lambda args, settings: maintainers.list_documents(settings, args.json))
    commands.add_parser("check", help="check that the index matches the corpus").set_defaults(
        run=lambda args, settings: maintainers.check(settings))
    commands.add_parser("history", help="show the corpus audit trail").set_defaults(
        run=lambda args, settings: maintainers.history(settings))
    maintainer = commands.add_parser("add-maintainer", help="add a maintainers' page account (QA_BOT_ADMIN_USERS)")
    maintainer.add_argument("name", metavar="NAME", help="the name the history records")
    maintainer.set_defaults(run=lambda args, settings: maintainers.add_maintainer(settings, args.name))

    ratings = commands.add_parser("feedback", help="list patients' and staff's ratings of answers (oldest first)")
    ratings.add_argument("--rating", choices=RATINGS, help="only this rating")
    ratings.add_argument("--json", action="store_true", help="one JSON object per line")
    ratings.set_defaults(run=lambda args, settings: maintainers.ratings(settings, args.rating, args.json))
    prune = commands.add_parser("prune", help="delete ratings and logged questions past their retention")
    prune.set_defaults(run=lambda args, settings: maintainers.prune(settings))


def _metadata(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        "title": args.title,
        "source": args.source,
        "reviewed_by": args.reviewed_by,
        "reviewed_on": args.reviewed_on,
        "license": args.license,
        "id": args.id,
    }


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
    ask.add_argument(
        "--conversation", action="store_true",
        help="with --file: each line continues the lines before it (a blank line starts a new conversation)",
    )
    ask.add_argument(
        "--subject", metavar="TEXT", default="",
        help="the subject line of the message(s), read as their first sentence (it may name the topic)",
    )
    ask.set_defaults(run=_ask)

    search = commands.add_parser("search", help="the staff search: passages for some words, best match first")
    search.add_argument("query", metavar="WORDS")
    search.add_argument("--limit", type=int, default=10, help="how many passages at most (default 10)")
    search.add_argument("--json", action="store_true", help="print the results as one JSON object")
    search.set_defaults(run=_search)

    serve = commands.add_parser("serve", help="start the chat in a browser")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7860)
    serve.set_defaults(run=_serve)

    run_eval = commands.add_parser(
        "eval", help="measure answer quality and choose min_relevance on questions about a corpus"
    )
    run_eval.add_argument(
        "questions", nargs="+", type=Path, metavar="QUESTIONS.jsonl",
        help='one JSON object a line: {"question": "...", "doc_ids": ["id", ...]} ([] for one to refuse), '
        "or the ../shared/eval format with answer spans",
    )
    run_eval.add_argument(
        "--docs", type=Path, metavar="FOLDER|DOCS.jsonl",
        help="a corpus folder (.md/.txt files with front matter; default: the corpus folder): document-level "
        "figures; or a docs.jsonl in the ../shared/eval format: the full benchmark",
    )
    run_eval.add_argument("--json", type=Path, metavar="OUT", help="also write the full report as JSON")
    run_eval.add_argument(
        "--cache", type=Path, default=PROJECT_ROOT / "bench" / "cache", help="where eval indexes and embeddings live"
    )
    run_eval.set_defaults(run=_eval)
    _maintainer_commands(commands)

    return parser


if __name__ == "__main__":
    sys.exit(main())

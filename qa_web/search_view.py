"""The support staff's search: ranked passages with filters, paging and one-click copy with citation.

`find` and `render_results` are plain functions (tested without a browser); `build_search` lays
out the controls inside the caller's Blocks (the app puts it in a tab beside the chat).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import gradio as gr

from qa_bot import InvalidQuery, QABot, SearchHit
from qa_bot.texts import texts
from qa_web.html import COPY_FUNCTION, attribute, escape, source_html

PAGE_SIZE = 5
# The publisher filter's value for documents whose front matter names no publisher (the seed).
UNKNOWN_PUBLISHER = "unknown"
# Passages ranked per query before filters and paging: enough for many pages of one document.
SEARCH_DEPTH = 100

# Runs once in the browser: one delegated listener copies a result's citation (`qaCopyText`).
COPY_JS = """
element.addEventListener('click', async (event) => {
  const button = event.target.closest('button.copy-quote');
  if (!button) return;
  const copied = await qaCopyText(button.dataset.copy, button);
  const status = button.parentElement.querySelector('.copy-status');
  status.textContent = copied ? 'Copied with its citation.' : 'Copy failed: select the quote and copy it.';
});
"""


@dataclass(frozen=True)
class Hit:
    """One ranked passage, numbered in the whole result list."""

    rank: int
    passage: SearchHit


@dataclass(frozen=True)
class Results:
    """One page of ranked passages for a query after the filters."""

    hits: tuple[Hit, ...]
    total: int
    page: int
    pages: int


def find(
    bot: QABot, query: str, doc_id: str = "", source: str = "", page: int = 1, page_size: int = PAGE_SIZE,
    *, publisher: str = "",
) -> Results:
    """Page `page` (from 1) of the passages for `query` in document `doc_id`, from `source` and
    published by `publisher` ('' = any; `UNKNOWN_PUBLISHER` = documents that name none).

    Raises `InvalidQuery` for a query the bot refuses.
    """
    passages = [
        p for p in bot.search(query, SEARCH_DEPTH).hits
        if (not doc_id or p.doc_id == doc_id) and (not source or p.source == source)
        and (not publisher or (p.publisher or UNKNOWN_PUBLISHER) == publisher)
    ]
    pages = max(1, math.ceil(len(passages) / page_size))
    page = min(max(1, page), pages)
    first = (page - 1) * page_size
    hits = tuple(Hit(first + n + 1, p) for n, p in enumerate(passages[first : first + page_size]))
    return Results(hits, len(passages), page, pages)


def citation(hit: Hit) -> str:
    """The verbatim passage with its title and source, as staff paste it to a patient."""
    return f"“{hit.passage.text}”\n— {hit.passage.title}. Source: {hit.passage.source}"


def render_results(results: Results) -> str:
    """HTML for one page of results; every text from documents is made inert."""
    if not results.hits:
        return f'<p class="qa-search-empty">{escape(texts().no_passages_match)}</p>'
    return f'<ol class="qa-results">{"".join(_render_hit(hit) for hit in results.hits)}</ol>'


def _render_hit(hit: Hit) -> str:
    p = hit.passage
    start, end = p.highlight.start - p.start, p.highlight.end - p.start
    quote = f"{escape(p.text[:start])}<mark>{escape(p.text[start:end])}</mark>{escape(p.text[end:])}"
    section = f" · Section: {escape(p.section)}" if p.section else ""
    publisher = f" · Publisher: {escape(p.publisher)}" if p.publisher else ""
    publisher += f" · {escape(texts().unreviewed_source)}" if p.review == "unreviewed" else ""
    return (
        f'<li class="qa-hit"><h3>{hit.rank}. {escape(p.title)}</h3>'
        f'<p class="meta"><span class="match" title="{attribute(texts().search_match)}">Match {p.match_percent}</span>'
        f'{section} · Source: {source_html(p.source)}{publisher}</p>'
        f"<blockquote>{quote}</blockquote>"
        f'<button type="button" class="copy-quote" data-copy="{attribute(citation(hit))}" '
        f'aria-label="Copy quote with citation: result {hit.rank}, {attribute(p.title)}">'
        'Copy quote with citation</button><span class="copy-status" role="status" aria-live="polite"></span></li>'
    )


def page_label(results: Results) -> str:
    """'Page 2 of 5 · 23 passages' for the pager."""
    noun = "passage" if results.total == 1 else "passages"
    return f"Page {results.page} of {results.pages} · {results.total} {noun}"


def filter_choices(bot: QABot) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, value) choices for the document and source filters of the index being served."""
    documents = bot.stored.documents.values()
    doc_choices = [("All documents", ""), *sorted((d.title, d.id) for d in documents)]
    return doc_choices, [("All sources", ""), *((s, s) for s in sorted({d.source for d in documents}))]


def publisher_choices(bot: QABot) -> list[tuple[str, str]]:
    """(label, value) choices for the publisher filter: every publisher of the index being served."""
    found = {d.publisher or UNKNOWN_PUBLISHER for d in bot.stored.documents.values()}
    named = sorted(found - {UNKNOWN_PUBLISHER})
    unknown = [("Publisher not named (unreviewed)", UNKNOWN_PUBLISHER)] if UNKNOWN_PUBLISHER in found else []
    return [("All publishers", ""), *((p, p) for p in named), *unknown]


def build_search(bot: QABot) -> None:
    """The search controls and results, laid out in the current Blocks context."""

    def run(query: str, doc_id: str | None, source: str | None, publisher: str | None, page: float | None) -> tuple:
        if not (query or "").strip():
            return '<p class="qa-search-empty">Type words to search the documents.</p>', 1, "", *_pager(None)
        try:
            results = find(bot, query, doc_id or "", source or "", int(page or 1), publisher=publisher or "")
        except InvalidQuery as err:
            return f'<p class="qa-search-empty" role="alert">{escape(str(err))}</p>', 1, "", *_pager(None)
        return render_results(results), results.page, page_label(results), *_pager(results)

    doc_choices, source_choices = filter_choices(bot)
    gr.Markdown("## Search the documents\nFind a passage, check its source, and copy it with its citation. "
                + texts().search_match)
    query = gr.Textbox(
        label="Search words", placeholder="For example: balance problems", max_length=bot.settings.max_query_chars,
        submit_btn="Search", elem_id="staff-search",
    )
    with gr.Row():
        doc_filter = gr.Dropdown(doc_choices, value="", label="Document", filterable=True)
        source_filter = gr.Dropdown(source_choices, value="", label="Source", filterable=True)
        publisher_filter = gr.Dropdown(publisher_choices(bot), value="", label="Publisher", filterable=True)
    results = gr.HTML('<p class="qa-search-empty">Type words to search the documents.</p>',
                      js_on_load=COPY_FUNCTION + COPY_JS,
                      elem_id="staff-results")
    page, first_page = gr.State(1), gr.State(1)
    with gr.Row():
        previous = gr.Button("← Previous page", interactive=False, size="sm")
        info = gr.Markdown("", elem_id="staff-pager")
        following = gr.Button("Next page →", interactive=False, size="sm")
    # Maintainers' changes are served live: offer their documents from the next visit to the search box.
    query.focus(
        lambda: tuple(gr.update(choices=c) for c in (*filter_choices(bot), publisher_choices(bot))), None,
        [doc_filter, source_filter, publisher_filter],
        api_visibility="private", show_progress="hidden", queue=False,
    )
    outputs = [results, page, info, previous, following]
    common = {"outputs": outputs, "show_progress": "hidden", "trigger_mode": "always_last", "concurrency_limit": 8}
    filters = [query, doc_filter, source_filter, publisher_filter]
    query.submit(run, [*filters, first_page], api_name="search", **common)
    for event in (query.input, doc_filter.change, source_filter.change, publisher_filter.change):
        event(run, [*filters, first_page], api_visibility="private", **common)
    previous.click(lambda *a: run(*a[:4], a[4] - 1), [*filters, page], api_visibility="private", **common)
    following.click(lambda *a: run(*a[:4], a[4] + 1), [*filters, page], api_visibility="private", **common)


def _pager(results: Results | None) -> tuple[dict, dict]:
    if results is None:
        return gr.update(interactive=False), gr.update(interactive=False)
    return gr.update(interactive=results.page > 1), gr.update(interactive=results.page < results.pages)

"""The staff search: ranking, filters, paging, inert rendering, copy text, and the view on a real server."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from gradio_client import Client

from qa_bot import InvalidQuery, QABot, QABotError, Settings
from qa_bot.embedding import Embedder
from qa_bot.texts import texts
from qa_web.html import attribute
from qa_web.search_view import PAGE_SIZE, SEARCH_DEPTH, citation, filter_choices, find, page_label, render_results

from .staff_corpus import (
    EVIL_MARKUP,
    EVIL_SOURCE,
    EVIL_TITLE,
    NYSTAGMUS_SOURCE,
    SEARCH_QUERIES,
    shown_matches,
    staff_bot,
)
from .test_app import running, served


@pytest.fixture(scope="module")
def staff(seed_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> QABot:
    return staff_bot(tmp_path_factory.mktemp("staff"), seed_settings, embedder)


def test_results_follow_the_library_ranking_page_by_page(staff: QABot) -> None:
    ranked = [(p.doc_id, p.start) for p in staff.search("balance and dizziness", SEARCH_DEPTH).hits]
    assert len(ranked) > PAGE_SIZE
    first, second = find(staff, "balance and dizziness"), find(staff, "balance and dizziness", page=2)
    assert [(h.passage.doc_id, h.passage.start) for h in first.hits + second.hits] == ranked[: 2 * PAGE_SIZE]
    assert [h.rank for h in second.hits] == list(range(PAGE_SIZE + 1, 2 * PAGE_SIZE + 1))
    assert (first.total, first.pages) == (len(ranked), -(-len(ranked) // PAGE_SIZE))
    assert page_label(first) == f"Page 1 of {first.pages} · {len(ranked)} passages"
    assert find(staff, "balance and dizziness", page=999).page == first.pages
    assert find(staff, "balance and dizziness", page=-3).page == 1


def test_filters_keep_one_document_or_one_source(staff: QABot) -> None:
    only = find(staff, "balance problems", doc_id="nystagmus")
    assert only.total == 1 and only.hits[0].passage.title == "Nystagmus"
    by_source = find(staff, "balance problems", source=NYSTAGMUS_SOURCE)
    assert [h.passage.doc_id for h in by_source.hits] == ["nystagmus"]
    assert find(staff, "balance problems", doc_id="nystagmus", source=EVIL_SOURCE).total == 0


def test_filters_offer_every_document_and_source_of_the_served_index(staff: QABot) -> None:
    documents, sources = filter_choices(staff)
    assert documents == [
        ("All documents", ""), ("Cerebro cerebellar volume loss", "cerebellar-volume-loss"),
        ("Nystagmus", "nystagmus"), (EVIL_TITLE, "tinnitus"),
    ]
    seed_source = staff.stored.documents["cerebellar-volume-loss"].source
    assert sources == [("All sources", ""), *sorted((s, s) for s in (EVIL_SOURCE, NYSTAGMUS_SOURCE, seed_source))]


def test_the_best_sentence_is_highlighted_inside_its_passage(staff: QABot) -> None:
    hit = find(staff, "involuntary eye movement", doc_id="nystagmus").hits[0]
    mark = hit.passage.highlight
    marked = staff.stored.documents["nystagmus"].body[mark.start : mark.end]
    assert marked == "Nystagmus is an involuntary, rhythmic movement of the eyes."
    assert marked == mark.text and hit.passage.start <= mark.start < mark.end <= hit.passage.end


def test_copy_text_is_the_verbatim_quote_with_title_and_source(staff: QABot) -> None:
    results = find(staff, "involuntary eye movement", doc_id="nystagmus")
    hit = results.hits[0]
    expected = f"“{hit.passage.text}”\n— Nystagmus. Source: {NYSTAGMUS_SOURCE}"
    assert citation(hit) == expected
    rendered = render_results(results)
    (copied,) = re.findall(r'data-copy="([^"]*)"', rendered)
    assert html.unescape(copied) == expected
    assert f'<a href="{html.escape(NYSTAGMUS_SOURCE)}"' not in rendered  # entity-escaped, not raw
    (href,) = re.findall(r'<a href="([^"]*)" target="_blank" rel="noopener noreferrer">', rendered)
    assert html.unescape(href) == NYSTAGMUS_SOURCE


def test_markup_in_a_document_is_rendered_inert(staff: QABot) -> None:
    results = find(staff, "ringing buzzing in the ears", doc_id="tinnitus")
    rendered = render_results(results)
    for active in ("<script", "<img", "**bold**", "](javascript", "${", "{{", "$x$", 'href="javascript'):
        assert active not in rendered
    assert "javascript" in html.unescape(rendered) and "<a href" not in rendered  # the source is text, not a link
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered.replace("<br>", "\n")))
    assert EVIL_MARKUP in text and EVIL_TITLE in text
    assert rendered.count("<mark>") == len(results.hits) == 1


@pytest.mark.parametrize("query", ["", "   ", "x" * 5001, "bad\x00query"])
def test_queries_the_bot_refuses_raise_invalid_query(staff: QABot, query: str) -> None:
    with pytest.raises(InvalidQuery):
        find(staff, query)


def test_no_match_says_so(staff: QABot) -> None:
    assert "No passages match" in render_results(find(staff, "balance", doc_id="no-such-document"))


@pytest.mark.parametrize("query", ["passport renewal fees", "banana bread recipe", "How do I reset my wifi router?"])
def test_an_off_topic_search_lists_nothing_under_the_relevance_floor(staff: QABot, query: str) -> None:
    results = find(staff, query)
    assert (results.total, results.hits) == (0, ())
    assert html.unescape(render_results(results)) == f'<p class="qa-search-empty">{texts().no_passages_match}</p>'
    assert texts().no_passages_match.startswith("No passages match")


@pytest.mark.parametrize("query", ["balance and dizziness", "ringing in the ears", "cerebellar atrophy"])
def test_results_keep_the_rankers_order_above_the_floor(staff: QABot, query: str) -> None:
    hits = staff.search(query, SEARCH_DEPTH).hits
    ranked = [p for p in staff._search(staff._retriever, staff.clean_query(query), SEARCH_DEPTH)
              if p.score >= staff.settings.search_min_relevance]
    assert len(hits) > 1 and [(h.doc_id, h.start) for h in hits] == [(p.doc_id, p.start) for p in ranked]
    assert min(h.relevance for h in hits) >= staff.settings.search_min_relevance


@pytest.mark.parametrize("fixture", ["bot", "staff"])
def test_the_match_shown_falls_down_the_list_page_after_page(fixture: str, request: pytest.FixtureRequest) -> None:
    searcher: QABot = request.getfixturevalue(fixture)  # the seed alone, and the staff's three documents
    listed_twice = False
    for query in SEARCH_QUERIES:
        hits = searcher.search(query, SEARCH_DEPTH).hits
        matches = [h.match for h in hits]
        assert matches == sorted(matches, reverse=True) and all(0 <= m <= 1 for m in matches), query
        assert sum(matches) <= 1 + 1e-3, query  # shares of the passages found
        # The relevance that lists a passage need not fall: the match, not it, is the order.
        listed_twice |= [h.relevance for h in hits] != sorted((h.relevance for h in hits), reverse=True)
        results = find(searcher, query)
        shown = [m for page in range(1, results.pages + 1)
                 for m in shown_matches(render_results(find(searcher, query, page=page)))]
        assert shown == sorted(shown, reverse=True) and len(shown) == len(hits), query
        assert shown == [0.5 if 0 < h.match < 0.005 else round(h.match * 100) for h in hits], query
    assert listed_twice  # the case the match is for: relevance alone would be shown out of order


def test_each_result_says_what_its_match_is(staff: QABot) -> None:
    page = render_results(find(staff, "balance and dizziness"))
    assert page.count(f'title="{attribute(texts().search_match)}"') == PAGE_SIZE
    assert "Score " not in page and "100%" in texts().search_match


def test_the_floor_is_a_setting(staff: QABot, isolated_env: pytest.MonkeyPatch) -> None:
    isolated_env.setenv("QA_BOT_SEARCH_MIN_RELEVANCE", "0.5")
    assert Settings.from_env().search_min_relevance == 0.5
    isolated_env.setenv("QA_BOT_SEARCH_MIN_RELEVANCE", "high")
    with pytest.raises(QABotError, match="QA_BOT_SEARCH_MIN_RELEVANCE must be a number from 0 to 1"):
        Settings.from_env()
    everything = QABot(replace(staff.settings, search_min_relevance=0.0), staff.encoder, staff.stored)
    assert find(everything, "passport renewal fees").total > 0


@pytest.fixture(scope="module")
def search_client(staff: QABot) -> Iterator[Client]:
    with running(served(staff)) as url:
        client = Client(f"{url}/", verbose=False)
        yield client
        client.close()


@pytest.mark.server
def test_search_view_over_http_pages_and_filters(search_client: Client) -> None:
    page_one, info = search_client.predict("balance and dizziness", "", "", api_name="/search")
    assert "<h3>1. " in page_one and "Copy quote with citation" in page_one
    assert re.fullmatch(r"Page 1 of [2-9]\d* · \d+ passages", info)
    only, info = search_client.predict("balance", "nystagmus", "", api_name="/search")
    assert info == "Page 1 of 1 · 1 passage" and "<h3>1. Nystagmus</h3>" in only
    refused, info = search_client.predict("x" * 5001, "", "", api_name="/search")
    assert "characters long" in refused and info == ""

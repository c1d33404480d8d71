"""The HTTP API on a real server: answers with the disclaimer, ranked passages, health, feedback, 4xx for bad input."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_bot import QABot
from qa_bot.feedback import read_feedback
from qa_bot.texts import texts

from .staff_corpus import SEARCH_QUERIES
from .test_app import running, served

pytestmark = pytest.mark.server
QUESTION = "What are the symptoms of cerebellar atrophy?"


@pytest.fixture(scope="module")
def site(bot: QABot, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, QABot]]:
    """The seed bot served as `qa-bot serve` serves it, storing feedback in a temporary folder."""
    rated = QABot(replace(bot.settings, feedback_dir=tmp_path_factory.mktemp("feedback")), bot.encoder, bot.stored)
    with running(served(rated)) as url:
        yield url, rated


@pytest.fixture(scope="module")
def http(site: tuple[str, QABot]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site[0], timeout=30) as client:
        yield client


def test_health_reports_model_index_and_counts(http: httpx.Client, bot: QABot) -> None:
    response = http.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "model": "all-MiniLM-L6-v2",
        "index_version": bot.stored.version,
        "documents": 1,
        "chunks": len(bot.stored.manifest.chunks),
        "texts_version": texts().version,
    }


def test_ask_returns_the_library_answer_verbatim_with_the_disclaimer(http: httpx.Client, bot: QABot) -> None:
    response = http.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    answer = response.json()
    assert answer == json.loads(json.dumps(bot.ask(QUESTION).to_dict()))
    assert answer["status"] == "answered" and answer["disclaimer"] == texts().disclaimer
    body = bot.stored.documents["cerebellar-volume-loss"].body
    assert any(q["text"].startswith("The symptoms of cerebro cerebellar volume loss") for q in answer["quotes"])
    assert all(body[q["start"] : q["end"]] == q["text"] for q in answer["quotes"])


def test_a_question_the_documents_do_not_cover_gets_no_quote_and_the_disclaimer(http: httpx.Client) -> None:
    answer = http.post("/api/ask", json={"question": "How do I renew my passport?"}).json()
    assert (answer["status"], answer["quotes"]) == ("no_match", [])
    assert answer["notices"] == [{"kind": "no_match", "text": texts().no_match}]
    assert answer["disclaimer"] == texts().disclaimer


def test_search_returns_the_ranked_passages_of_the_library(http: httpx.Client, bot: QABot) -> None:
    response = http.post("/api/search", json={"query": "  balance   problems ", "limit": 3})
    assert response.status_code == 200
    found = response.json()
    assert found["query"] == "balance problems"
    expected = bot.search("balance problems", 3).hits
    got = [(p["doc_id"], p["start"], p["end"]) for p in found["passages"]]
    assert got == [(p.doc_id, p.start, p.end) for p in expected]
    assert [p["text"] for p in found["passages"]] == [p.text for p in expected]
    assert {p["title"] for p in found["passages"]} == {"Cerebro cerebellar volume loss"}
    assert len(http.post("/api/search", json={"query": "balance"}).json()["passages"]) == 10


def test_search_lists_passages_by_the_match_it_shows(http: httpx.Client, bot: QABot) -> None:
    for query in SEARCH_QUERIES:
        passages = http.post("/api/search", json={"query": query, "limit": 50}).json()["passages"]
        matches = [p["match"] for p in passages]
        assert matches == sorted(matches, reverse=True), query
        assert [(p["doc_id"], p["start"], p["match"], p["relevance"]) for p in passages] == [
            (h.doc_id, h.start, h.match, h.relevance) for h in bot.search(query, 50).hits]
        assert all(p["relevance"] >= bot.settings.search_min_relevance for p in passages)
    described = http.get("/openapi.json").json()["components"]["schemas"]["SearchOut"]["properties"]["passages"]
    assert "by `match`" in described["description"] and "`relevance`" in described["description"]


LONG = "a" * 5001


def test_ask_and_search_read_the_subject_line(http: httpx.Client, bot: QABot) -> None:
    message = "My father was told this after his scan last week. How is it treated?"
    subject = "cerebellar volume loss"
    asked = http.post("/api/ask", json={"question": message, "subject": subject})
    assert asked.status_code == 200 and asked.json() == bot.ask(message, subject=subject).to_dict()
    found = http.post("/api/search", json={"query": message, "subject": subject, "limit": 3}).json()
    assert found["query"] == f"{subject}. {message}"
    assert [p["text"] for p in found["passages"]] == [h.text for h in bot.search(message, 3, subject).hits]


def test_ask_reads_the_conversation_the_client_sends(http: httpx.Client) -> None:
    earlier = ["my MRI says mild cerebellar volume loss what does that mean"]
    answer = http.post("/api/ask", json={"question": "and how is it treated?", "conversation": earlier}).json()
    assert answer["status"] == "answered" and answer["notices"][0]["kind"] == "context"
    alone = http.post("/api/ask", json={"question": "and how is it treated?"}).json()
    assert alone["status"] == "no_match" and alone["suggestions"]


@pytest.mark.parametrize("conversation", [["a question"] * 21, [LONG], [""], "not a list", [3]])
def test_a_conversation_beyond_its_limits_is_refused_with_422(http: httpx.Client, conversation: object) -> None:
    response = http.post("/api/ask", json={"question": "what is it?", "conversation": conversation})
    assert response.status_code == 422 and response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/api/ask", {}, "Field required"),
        ("/api/ask", {"question": ""}, "at least 1 character"),
        ("/api/ask", {"question": "   "}, "Please type a question."),
        ("/api/ask", {"question": LONG}, "at most 5000 characters"),
        ("/api/ask", {"question": 5}, "valid string"),
        ("/api/ask", {"question": None}, "valid string"),
        ("/api/ask", {"question": ["What is it?"]}, "valid string"),
        ("/api/ask", {"question": "What is it?", "user": "ann"}, "Extra inputs are not permitted"),
        ("/api/ask", {"question": "a\x07b"}, "control or unprintable characters"),
        ("/api/ask", ["What is it?"], "valid dictionary"),
        ("/api/ask", "not json", "JSON decode error"),
        ("/api/search", {"limit": 3}, "Field required"),
        ("/api/search", {"query": "balance", "limit": 0}, "greater than or equal to 1"),
        ("/api/search", {"query": "balance", "limit": 51}, "less than or equal to 50"),
        ("/api/search", {"query": "balance", "limit": "10"}, "valid integer"),
        ("/api/search", {"query": "balance", "limit": True}, "valid integer"),
        ("/api/search", {"query": "balance", "limit": 2.5}, "valid integer"),
        ("/api/search", {"query": LONG}, "at most 5000 characters"),
        ("/api/search", {"query": "balance", "subject": "x" * 201}, "at most 200 characters"),
        ("/api/ask", {"question": "What is it?", "subject": "x" * 201}, "at most 200 characters"),
        ("/api/ask", {"question": "What is it?", "subject": 3}, "valid string"),
        ("/api/feedback", {"question": "Q?", "rating": "meh"}, "'up' or 'down'"),
        ("/api/feedback", {"question": "Q?", "rating": "up", "comment": "x" * 2001}, "at most 2000 characters"),
        ("/api/feedback", {"question": "Q?", "rating": "up", "quotes": [{"doc_id": "d", "start": -1, "end": 4}]},
         "greater than or equal to 0"),
        ("/api/feedback", {"question": "Q?", "rating": "up", "quotes": [{"doc_id": "d", "start": 4, "end": 4}]},
         "0 <= start < end"),
        ("/api/feedback", {"question": "Q?", "rating": "up", "quotes": [{"doc_id": "d", "start": 0, "end": 1}] * 11},
         "at most 10 items"),
        ("/api/feedback", {"question": "Q?", "rating": "up", "email": "a@b.c"}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_requests_get_422_with_a_clear_message(
    http: httpx.Client, path: str, body: object, message: str
) -> None:
    if isinstance(body, str):
        response = http.post(path, content=body, headers={"Content-Type": "application/json"})
    else:
        response = http.post(path, json=body)
    assert response.status_code == 422
    assert message in json.dumps(response.json()["detail"])


def test_wrong_method_and_path_are_4xx(http: httpx.Client) -> None:
    # A method the route lacks falls through to the Gradio app mounted at /, which has no such page.
    assert http.get("/api/ask").status_code == 404
    assert http.post("/api/nothing", json={}).status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(["/api/ask", "/api/search", "/api/feedback"]),
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
        | st.sampled_from([float("nan"), float("-inf"), 10**400, "\ud800", "a\udfffb"]),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
            st.sampled_from(["question", "query", "limit", "rating", "comment", "quotes", "x"]), inner, max_size=4
        ),
        max_leaves=8,
    ),
)
def test_no_request_body_makes_the_server_fail(http: httpx.Client, path: str, body: object) -> None:
    # NaN, infinities (1e999999 reads as one) and lone surrogates as JSON writes them: 422, never 500.
    sent = json.dumps(body, allow_nan=True)
    response = http.post(path, content=sent, headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    if _unreadable(body):
        assert response.status_code == 422, sent
    if response.status_code == 200 and path == "/api/ask":
        assert response.json()["disclaimer"] == texts().disclaimer


def _unreadable(value: object) -> bool:
    """Whether `value` holds a non-finite number or a lone surrogate, anywhere."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return any(_unreadable(item) for item in items)


def test_feedback_is_stored_with_the_question_and_quotes(http: httpx.Client, site: tuple[str, QABot]) -> None:
    _, rated = site
    before = len(read_feedback(rated.settings.feedback_dir))
    sent = {
        "question": QUESTION, "rating": "down", "comment": "Too technical.",
        "quotes": [{"doc_id": "cerebellar-volume-loss", "start": 2161, "end": 2523}],
    }
    response = http.post("/api/feedback", json=sent)
    assert response.status_code == 201 and response.json()["saved"] is True
    entry = read_feedback(rated.settings.feedback_dir)[before]
    assert (entry.question, entry.rating, entry.comment, entry.when) == (
        QUESTION, "down", "Too technical.", response.json()["when"]
    )
    assert [(q.doc_id, q.start, q.end) for q in entry.quotes] == [("cerebellar-volume-loss", 2161, 2523)]
    assert entry.index_version == rated.stored.version


def test_feedback_keeps_no_text_of_an_emergency_found_by_meaning(http: httpx.Client, site: tuple[str, QABot]) -> None:
    _, rated = site
    question = "my brother cut his leg on the chainsaw and it keeps coming out"  # the patterns alone miss it
    before = len(read_feedback(rated.settings.feedback_dir))
    assert http.post("/api/feedback", json={"question": question, "rating": "down"}).status_code == 201
    (entry,) = read_feedback(rated.settings.feedback_dir)[before:]
    assert entry.question is None


def test_chat_thumbs_store_the_rated_answer_and_its_quotes(site: tuple[str, QABot]) -> None:
    url, rated = site
    client = Client(f"{url}/", verbose=False)
    comment, status = client.predict("Nice", api_name="/rate_up")
    assert (comment, status) == ("Nice", "Ask a question first, then rate its answer.")
    before = len(read_feedback(rated.settings.feedback_dir))
    client.predict(f"  {QUESTION}", [], api_name="/chat")
    comment, status = client.predict("Clear, thanks.", api_name="/rate_up")
    assert comment == "" and status.startswith("Thank you")
    (entry,) = read_feedback(rated.settings.feedback_dir)[before:]
    expected = rated.ask(QUESTION)
    assert (entry.question, entry.rating, entry.comment) == (QUESTION, "up", "Clear, thanks.")
    assert [(q.doc_id, q.start, q.end) for q in entry.quotes] == [(q.doc_id, q.start, q.end) for q in expected.quotes]
    client.close()


def test_openapi_describes_every_route_and_its_limits(http: httpx.Client) -> None:
    assert http.get("/docs").status_code == 404  # Swagger's assets would come from a CDN
    schema = http.get("/openapi.json").json()
    assert {"/api/ask", "/api/search", "/api/health", "/api/feedback"} <= set(schema["paths"])
    ask = schema["components"]["schemas"]["AskRequest"]
    assert ask["additionalProperties"] is False and ask["properties"]["question"]["maxLength"] == 5000
    assert {"status", "quotes", "notices", "disclaimer"} <= set(schema["components"]["schemas"]["Answer"]["properties"])
    assert "422" in schema["paths"]["/api/ask"]["post"]["responses"]


def test_the_chat_is_still_served_at_the_root(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200 and "gradio" in page.text.lower()


def test_feedback_folder_holds_nothing_but_the_log(site: tuple[str, QABot]) -> None:
    assert sorted(p.name for p in Path(site[1].settings.feedback_dir).iterdir()) == ["feedback.jsonl"]

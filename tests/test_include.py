"""Reported speech is opt-in everywhere: JSON ``include``, the ``include`` query parameter, the batch
(whole or per article), ``quotes extract --include`` (one article or JSON lines)."""
from __future__ import annotations

import json

import pytest

from helpers import assert_offsets, assert_problem, jsonl, run

ARTICLE = ("“We are ready,” an Elysee official said.\n\n"
           "The minister told parliament the new border checks would start on Monday.")
REPORTED = "the new border checks would start on Monday"


def kinds(body: dict) -> list[str]:
    assert_offsets(ARTICLE, body)
    return [quote["type"] for quote in body["quotes"]]


def reported(body: dict) -> list[str]:
    return [quote["text"] for quote in body["quotes"] if quote["type"] == "indirect"]


def test_without_include_the_answer_has_no_reported_speech(client):
    assert kinds(client.post("/v1/quotes", json={"text": ARTICLE}).get_json()) == ["direct"]


def test_json_include(client):
    body = client.post("/v1/quotes", json={"text": ARTICLE, "include": ["indirect"]}).get_json()
    assert kinds(body) == ["direct", "indirect"] and reported(body) == [REPORTED]
    speaker = next(s for s in body["speakers"] if s["name"] == "minister")
    assert speaker["quote_ids"] == [body["quotes"][1]["id"]]


@pytest.mark.parametrize("query", ["include=indirect", "include=indirect,indirect", "include=&include=indirect"])
def test_query_include_for_plain_text(client, query):
    response = client.post(f"/v1/quotes?{query}", data=ARTICLE.encode(),
                           headers={"Content-Type": "text/plain; charset=utf-8"})
    assert reported(response.get_json()) == [REPORTED]


def test_query_include_for_json(client):
    assert reported(client.post("/v1/quotes?include=indirect", json={"text": ARTICLE}).get_json()) == [REPORTED]


@pytest.mark.parametrize("send", [
    lambda client: client.post("/v1/quotes", json={"text": ARTICLE, "include": ["beliefs"]}),
    lambda client: client.post("/v1/quotes?include=beliefs", json={"text": ARTICLE}),
    lambda client: client.post("/v1/quotes/batch", json={"articles": [{"text": ARTICLE}], "include": "indirect"}),
])
def test_an_unknown_kind_is_422(client, send):
    problem = assert_problem(send(client), 422)
    assert "include" in problem["errors"]


def test_batch_include_for_all_or_per_article(client):
    articles = [{"id": "plain", "text": ARTICLE}, {"id": "asks", "text": ARTICLE, "include": ["indirect"]}]
    results = client.post("/v1/quotes/batch", json={"articles": articles}).get_json()["results"]
    assert [reported(r) for r in results] == [[], [REPORTED]]
    asking = {"articles": articles, "include": ["indirect"]}
    results = client.post("/v1/quotes/batch", json=asking).get_json()["results"]
    assert [reported(r) for r in results] == [[REPORTED], [REPORTED]]
    results = client.post("/v1/quotes/batch?include=indirect", json={"articles": articles[:1]}).get_json()["results"]
    assert [reported(r) for r in results] == [[REPORTED]]


def test_the_command_line_includes_on_request(capsys, engine, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, ["extract", str(article)], engine)
    assert code == 0 and kinds(json.loads(out)) == ["direct"]
    code, out, _ = run(capsys, ["extract", str(article), "--include", "indirect"], engine)
    assert code == 0 and reported(json.loads(out)) == [REPORTED]


def test_json_lines_include_for_every_line_or_per_line(capsys, engine, monkeypatch):
    stdin = jsonl({"id": "1", "text": ARTICLE}, {"id": "2", "text": ARTICLE, "include": ["indirect"]})
    code, out, _ = run(capsys, ["extract", "--jsonl"], engine, stdin=stdin, monkeypatch=monkeypatch)
    assert code == 0 and [reported(json.loads(line)) for line in out.splitlines()] == [[], [REPORTED]]
    code, out, _ = run(capsys, ["extract", "--jsonl", "--include", "indirect"], engine, stdin=stdin,
                       monkeypatch=monkeypatch)
    assert code == 0 and [reported(json.loads(line)) for line in out.splitlines()] == [[REPORTED], [REPORTED]]


def test_the_command_line_refuses_an_unknown_kind(capsys, engine):
    with pytest.raises(SystemExit):
        run(capsys, ["extract", "-", "--include", "beliefs"], engine)


def test_evaluate_asks_for_reported_speech_when_it_scores_it(capsys, engine, tmp_path):
    start = ARTICLE.index(REPORTED)
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        {"start": start, "end": start + len(REPORTED), "text": REPORTED, "kind": "indirect",
         "speaker": "the minister", "aliases": [], "optional": False, "cue_span": None,
         "source_span": [ARTICLE.index("The minister"), ARTICLE.index("The minister") + len("The minister")]}]}
    (tmp_path / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    code, out, _ = run(capsys, ["evaluate", str(tmp_path), "--kind", "indirect", "--json"], engine)
    assert code == 0
    totals = json.loads(out)
    assert (totals["tp"], totals["e2e_f1"]) == (1, 1.0)

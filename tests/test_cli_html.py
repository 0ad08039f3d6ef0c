"""``quotes extract`` on articles stored as HTML: .html files, --html, and "html" lines with --jsonl."""
from __future__ import annotations

import json

import pytest

from helpers import assert_html_offsets, assert_offsets, cms_html, digest, jsonl, run

TEXT = "“We are ready,” an Elysee official said, “to act.”\nMr Macron told reporters: “Europe is ready.”"
HTML = cms_html(TEXT, [(TEXT.index("Mr Macron"), TEXT.index("Mr Macron") + len("Mr Macron"))], [(4, 7)])


@pytest.mark.parametrize("name", ["article.html", "ARTICLE.HTM"])
def test_an_html_file_is_read_as_html(capsys, engine, tmp_path, monkeypatch, name):
    path = tmp_path / name
    path.write_text(HTML, encoding="utf-8")
    code, out, _ = run(capsys, ["extract", str(path)], engine)
    assert code == 0
    answer = json.loads(out)
    assert answer["text"] == TEXT.replace("\n", "\n\n")
    assert_html_offsets(HTML, answer)
    _, plain, _ = run(capsys, ["extract", "-"], engine, stdin=TEXT, monkeypatch=monkeypatch)
    assert digest(answer) == digest(json.loads(plain))


def test_html_or_text_as_the_options_say(capsys, engine, tmp_path, monkeypatch):
    code, out, _ = run(capsys, ["extract", "-", "--html"], engine, stdin=HTML, monkeypatch=monkeypatch)
    assert code == 0
    assert_html_offsets(HTML, json.loads(out))
    path = tmp_path / "markup.html"
    path.write_text(HTML, encoding="utf-8")
    code, out, _ = run(capsys, ["extract", str(path), "--text"], engine)
    assert code == 0
    answer = json.loads(out)
    assert "text" not in answer
    assert_offsets(HTML, answer)


def test_jsonl_lines_may_carry_html(capsys, engine, monkeypatch):
    stdin = jsonl({"id": "h", "html": HTML}, {"id": "t", "text": TEXT}, {"id": "both", "text": TEXT, "html": HTML},
                  {"id": "h2", "html": "<p>unclosed <b>“Yes,” he said"})
    for processes in ("1", "2"):
        code, out, _ = run(capsys, ["extract", "--jsonl", "--processes", processes], engine, stdin=stdin,
                           monkeypatch=monkeypatch)
        assert code == 0
        html_answer, text_answer, both, malformed = map(json.loads, out.splitlines())
        assert_html_offsets(HTML, html_answer)
        assert digest(html_answer) == digest(text_answer)
        assert both["error"]["status"] == 422
        assert malformed["text"] == "unclosed “Yes,” he said"


def test_html_options_do_not_apply_to_jsonl(capsys, engine):
    code, _, err = run(capsys, ["extract", "--jsonl", "--html"], engine)
    assert code == 1 and "do not apply to --jsonl" in err


def test_compare_reads_html_files_as_html(capsys, engine, tmp_path):
    text, html = tmp_path / "story.txt", tmp_path / "story.html"
    text.write_text(TEXT, encoding="utf-8")
    html.write_text(HTML, encoding="utf-8")
    code, out, err = run(capsys, ["compare", str(text), str(html)], engine)
    assert (code, err) == (0, "")
    body = json.loads(out)
    assert_html_offsets(HTML, body["articles"][1])
    assert body["unmatched"] == [] and len(body["alignments"]) == 3
    assert {c["status"] for alignment in body["alignments"] for c in alignment["counterparts"]} == {"verbatim"}

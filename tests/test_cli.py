"""The ``quotes`` command line, in-process and as a real process."""
from __future__ import annotations

import io
import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from bench.server import free_port
from helpers import REPO, FailsOn, assert_offsets, assert_references, jsonl, run
from service import cli

SEEDS = sorted((REPO / "seeds" / "articles").glob("*.txt"))
SAMPLE = ('“We are ready,” an Elysee official said, “to act.”\n'
          'Mr Macron told reporters: "Europe is ready to give security guarantees to Ukraine."\n')


# --- one article -------------------------------------------------------------------------------

def test_extract_a_file(capsys, engine, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(SAMPLE, encoding="utf-8")
    code, out, _ = run(capsys, ["extract", str(article)], engine)
    assert code == 0
    body = json.loads(out)
    assert body["id"] is None
    assert set(body) == {"id", "quotes", "speakers", "meta"}
    assert body["meta"]["characters"] == len(SAMPLE)
    assert_offsets(SAMPLE, body)
    assert_references(body)


def test_extract_stdin_with_id_and_pretty(capsys, engine, monkeypatch):
    code, out, _ = run(capsys, ["extract", "-", "--id", "story-1", "--pretty"], engine,
                       stdin=SAMPLE, monkeypatch=monkeypatch)
    assert code == 0
    assert out.startswith("{\n  ")
    body = json.loads(out)
    assert body["id"] == "story-1"
    assert_offsets(SAMPLE, body)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_extract_seed_articles(capsys, engine, path):
    code, out, _ = run(capsys, ["extract", str(path)], engine)
    assert code == 0
    assert_offsets(path.read_text(encoding="utf-8"), json.loads(out))


@pytest.mark.parametrize("content, message", [
    (b"", "text is empty"),
    (b"  \n\t", "text is empty"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_extract_refuses_what_is_not_an_article(capsys, engine, tmp_path, content, message):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    code, out, err = run(capsys, ["extract", str(article)], engine)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err


def test_extract_of_a_missing_file(capsys, engine, tmp_path):
    code, _, err = run(capsys, ["extract", str(tmp_path / "missing.txt")], engine)
    assert code == 1
    assert "cannot read" in err


def test_extract_needs_a_file_or_jsonl(capsys, engine):
    code, _, err = run(capsys, ["extract"], engine)
    assert code == 1
    assert "--jsonl" in err


# --- JSON lines --------------------------------------------------------------------------------

BAD_LINES = [
    ("not json\n", None, 400),
    ('{"id": "no-text"}\n', "no-text", 422),
    ('{"id": "number", "text": 12}\n', "number", 422),
    ('{"id": "blank", "text": "  \\n "}\n', "blank", 422),
    ('["a", "list"]\n', None, 422),
    ('{"id": "extra", "text": "A text.", "source": "wire"}\n', "extra", 422),  # refused, as the API refuses it
]


def test_jsonl_answers_every_line_in_order(capsys, engine, monkeypatch):
    records = [{"id": f"seed-{i}", "text": p.read_text(encoding="utf-8")} for i, p in enumerate(SEEDS[:3])]
    lines = [jsonl(records[0]), *(line for line, _, _ in BAD_LINES[:2]), "\n", jsonl(records[1]),
             *(line for line, _, _ in BAD_LINES[2:]), jsonl(records[2])]
    code, out, _ = run(capsys, ["extract", "--jsonl"], engine, stdin="".join(lines), monkeypatch=monkeypatch)
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    expected_ids = ["seed-0", None, "no-text", "seed-1", "number", "blank", None, "extra", "seed-2"]
    assert [a["id"] for a in answers] == expected_ids
    texts = {r["id"]: r["text"] for r in records}
    for answer in answers:
        if answer["id"] in texts:
            assert "error" not in answer
            assert_offsets(texts[answer["id"]], answer)
    errors = [a["error"] for a in answers if "error" in a]
    assert [e["status"] for e in errors] == [status for _, _, status in BAD_LINES]
    for error in errors:  # the API's problem object, line number first in the detail
        assert {"type", "title", "status", "detail"} <= set(error) <= {"type", "title", "status", "detail", "errors"}
        assert error["title"] and error["detail"].startswith("Line ")
        assert ("errors" in error) == (error["status"] == 422)


def test_jsonl_reports_bad_utf8_and_goes_on(capsys, engine, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(
        b'{"id": "x", "text": "caf\xe9"}\n' + jsonl({"id": "ok", "text": SAMPLE}).encode()), encoding="utf-8"))
    assert cli.main(["extract", "--jsonl"], engine=engine) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["error"]["status"] == 400 and "UTF-8" in first["error"]["detail"]
    assert second["id"] == "ok"


def test_jsonl_accepts_a_file(capsys, engine, tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(jsonl({"id": "1", "text": SAMPLE}, {"id": "2", "text": "No quotes here."}), encoding="utf-8")
    code, out, _ = run(capsys, ["extract", "--jsonl", str(path)], engine)
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["1", "2"]


class ReadAheadEngine:
    """The engine as it behaves when it batches: it reads several texts before the first result."""

    def __init__(self, engine, batch_size):
        self.engine, self.batch_size = engine, batch_size

    def extract_many(self, texts, include=()):
        texts = iter(texts)
        while batch := list(itertools.islice(texts, self.batch_size)):
            yield from (self.engine.extract(text, include) for text in batch)


@pytest.mark.parametrize("batch_size", [2, 3, 100])
def test_jsonl_keeps_the_order_when_the_engine_reads_ahead(capsys, engine, monkeypatch, batch_size):
    lines = []
    for i in range(7):
        lines.append(jsonl({"id": f"good-{i}", "text": f"Quote number {i}: “We will act,” she said."}))
        if i % 2:
            lines.append(f'{{"id": "bad-{i}"}}\n')
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(lines) + "{oops\n"))
    assert cli.main(["extract", "--jsonl"], engine=ReadAheadEngine(engine, batch_size)) == 0
    ids = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert ids == [json.loads(line)["id"] for line in lines] + [None]


def test_jsonl_as_a_process_streams_its_answers():
    """Answers come out while the input is still open, and every id comes back in order."""
    process = subprocess.Popen([sys.executable, "-m", "service", "extract", "--jsonl"], cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: [answers.put(line) for line in process.stdout], daemon=True).start()
    sent: list[dict] = []

    def send(*records: dict | str) -> None:
        for record in records:
            process.stdin.write((record if isinstance(record, str) else jsonl(record)).encode())
            sent.append(record if isinstance(record, dict) else {"id": None})
        process.stdin.flush()

    try:
        # The engine may parse in batches: keep feeding small articles until answers flow back.
        received: list[dict] = []
        deadline = time.monotonic() + 120
        while not received:
            assert len(sent) < 5000 and time.monotonic() < deadline, "no answer while the input is open"
            for _ in range(8):
                n = len(sent)
                send({"id": f"short-{n}", "text": f"“Line {n} is here,” she said."})
            send('{"text": ""}\n')
            try:
                received.append(json.loads(answers.get(timeout=1)))
            except queue.Empty:
                pass

        seeds = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS}
        send(*({"id": name, "text": text} for name, text in seeds.items()))
        process.stdin.close()
        while len(received) < len(sent):
            received.append(json.loads(answers.get(timeout=120)))
        assert process.wait(timeout=60) == 0
        assert b"Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()

    assert [r["id"] for r in received] == [s["id"] for s in sent]
    bad_lines = sum(1 for s in sent if "text" not in s)
    assert [r["error"]["status"] for r in received if "error" in r] == [422] * bad_lines
    texts = {s["id"]: s["text"] for s in sent if "text" in s}
    for body in received:
        if "error" not in body:
            assert_offsets(texts[body["id"]], body)
            assert_references(body)


def start_jsonl_process(*options: str) -> tuple[subprocess.Popen, queue.Queue]:
    process = subprocess.Popen([sys.executable, "-m", "service", "extract", "--jsonl", *options], cwd=REPO,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: [answers.put(line) for line in process.stdout], daemon=True).start()
    return process, answers


@pytest.mark.parametrize("processes", ["1", "2"])
def test_jsonl_answers_the_first_article_before_the_input_ends(processes):
    """One line in, its answer out, while the pipe is still open; then the rest, in order."""
    process, answers = start_jsonl_process("--processes", processes)
    try:
        process.stdin.write(jsonl({"id": "first", "text": SAMPLE}).encode())
        process.stdin.flush()
        first = json.loads(answers.get(timeout=180))
        assert first["id"] == "first"
        assert_offsets(SAMPLE, first)
        assert process.poll() is None, "the process ended before its input did"
        records = [{"id": f"n{i}", "text": f"“Number {i} is in,” the mayor said."} for i in range(40)]
        process.stdin.write(jsonl(*records[:20], "{broken\n", *records[20:]).encode())
        process.stdin.close()
        rest = [json.loads(answers.get(timeout=180)) for _ in range(41)]
        assert process.wait(timeout=60) == 0
        assert process.stderr.read() == b""  # no progress bar: stderr is not a terminal
    finally:
        if process.poll() is None:
            process.kill()
    assert [r["id"] for r in rest] == [r["id"] for r in records[:20]] + [None] + [r["id"] for r in records[20:]]
    assert rest[20]["error"]["status"] == 400 and rest[20]["error"]["detail"].startswith("Line 22 ")
    for record, answer in zip(records, rest[:20] + rest[21:], strict=True):
        assert_offsets(record["text"], answer)
        assert answer["quotes"][0]["speaker"]["mention"]["text"] == "the mayor"


def test_extract_ends_quietly_when_its_reader_goes_away(tmp_path):
    """``quotes extract --jsonl … | head -c 10``: more answers than the pipe holds, and nobody reads them."""
    articles = tmp_path / "articles.jsonl"
    articles.write_text(jsonl(*({"id": f"a{i}", "text": SAMPLE} for i in range(300))), encoding="utf-8")
    with articles.open("rb") as lines:
        process = subprocess.Popen([sys.executable, "-m", "service", "extract", "--jsonl"], cwd=REPO,
                                   stdin=lines, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert len(process.stdout.read(10)) == 10
            process.stdout.close()
            assert process.wait(timeout=180) == 0
            assert process.stderr.read() == b""
        finally:
            if process.poll() is None:
                process.kill()


@pytest.mark.parametrize("argv", [["extract", str(SEEDS[0])], ["serve", "--port", "8124"]],
                         ids=["extract", "serve"])
def test_an_unusable_setting_stops_the_command_with_one_line(argv):
    environ = dict(os.environ, QUOTES_MAX_CHARS="many")
    finished = subprocess.run([sys.executable, "-m", "service", *argv], cwd=REPO, env=environ,
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr == f"quotes {argv[0]}: QUOTES_MAX_CHARS must be a whole number, got 'many'\n"


def test_jsonl_with_processes_keeps_every_id_in_order(capsys, engine, monkeypatch):
    articles = [{"id": f"seed-{p.stem}", "text": p.read_text(encoding="utf-8")} for p in SEEDS]
    articles += [{"id": f"short-{i}", "text": f"“Item {i} is here,” she said."} for i in range(60)]
    lines = []
    for i, article in enumerate(articles):
        lines.append(jsonl(article))
        if i % 9 == 4:
            lines.append(BAD_LINES[i % len(BAD_LINES)][0])
    stdin = "".join(lines)
    code, out, err = run(capsys, ["extract", "--jsonl", "--processes", "2"], engine, stdin=stdin,
                         monkeypatch=monkeypatch)
    assert code == 0 and err == ""
    answers = [json.loads(line) for line in out.splitlines()]
    expected = [json.loads(line).get("id") if line.startswith("{\"id") else None for line in lines]
    assert [a["id"] for a in answers] == expected
    texts = {a["id"]: a["text"] for a in articles}
    for answer in answers:
        if "error" not in answer:
            assert_offsets(texts[answer["id"]], answer)
            assert_references(answer)
    # The same answers as in one process.
    _, single, _ = run(capsys, ["extract", "--jsonl"], engine, stdin=stdin, monkeypatch=monkeypatch)
    strip = [{**a, "meta": {**a["meta"], "elapsed_ms": 0}} if "meta" in a else a
             for a in map(json.loads, single.splitlines())]
    assert strip == [{**a, "meta": {**a["meta"], "elapsed_ms": 0}} if "meta" in a else a for a in answers]


def test_jsonl_gives_an_error_line_for_an_article_the_engine_fails_on(capsys, engine, monkeypatch):
    stdin = jsonl({"id": "1", "text": SAMPLE}, {"id": "2", "text": "BOOM"}, {"id": "3", "text": SAMPLE})
    code, out, _ = run(capsys, ["extract", "--jsonl"], FailsOn(engine, "BOOM"), stdin=stdin,
                       monkeypatch=monkeypatch)
    assert code == 0
    first, failed, third = map(json.loads, out.splitlines())
    assert failed == {"id": "2", "error": {"type": "about:blank", "status": 500, "title": "Internal Server Error",
                                           "detail": failed["error"]["detail"]}}
    assert_offsets(SAMPLE, first)
    assert_offsets(SAMPLE, third)


@pytest.mark.parametrize("argv, message", [
    (["extract", "--jsonl", "--processes", "0"], "at least 1"),
    (["extract", "-", "--processes", "2"], "applies to --jsonl"),
])
def test_processes_must_make_sense(capsys, engine, argv, message):
    code, _, err = run(capsys, argv, engine)
    assert code == 1 and message in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_only_on_a_terminal(tmp_path):
    from service.cli import jsonl as jsonl_module

    assert jsonl_module.progress_for(io.BytesIO(b""), io.StringIO()) is None
    path = tmp_path / "articles.jsonl"
    path.write_text(jsonl({"id": "1", "text": SAMPLE}), encoding="utf-8")
    terminal = Terminal()
    with path.open("rb") as source:
        progress = jsonl_module.progress_for(source, terminal)
        progress.done([jsonl_module.Record("1", SAMPLE, size=path.stat().st_size)])
        progress.close()
    assert "1 articles" in terminal.getvalue() and "100%" in terminal.getvalue()
    piped = Terminal()
    progress = jsonl_module.progress_for(io.BytesIO(b""), piped)
    progress.done([jsonl_module.Record("1", SAMPLE)] * 3)
    progress.close()
    assert "3 articles" in piped.getvalue()


# --- evaluate ----------------------------------------------------------------------------------

def test_evaluate_prints_the_scores(capsys, engine, tmp_path):
    errors = tmp_path / "errors.jsonl"
    code, out, _ = run(capsys, ["evaluate", str(REPO / "seeds" / "gold"), "--json", "--errors", str(errors)],
                       engine)
    assert code == 0
    totals = json.loads(out)
    assert totals["articles"] == len(SEEDS)
    for key in ("det_p", "det_r", "det_f1", "attr_acc", "e2e_p", "e2e_r", "e2e_f1"):
        assert 0.0 <= totals[key] <= 1.0
    lines = errors.read_text(encoding="utf-8").splitlines()
    assert len(lines) == totals["fn"] + totals["fp"] + totals["attr_scored"] - totals["attr_ok"]
    for line in lines:
        assert json.loads(line)["kind"] in {"missed", "spurious", "wrong_speaker"}


def test_evaluate_counts_an_article_the_engine_fails_on_as_a_failure(capsys, engine, tmp_path):
    errors = tmp_path / "errors.jsonl"
    failing = FailsOn(engine, "ALBAWABA")  # a word of seed 004 only
    code, out, _ = run(capsys, ["evaluate", str(REPO / "seeds" / "gold"), "--json", "--errors", str(errors)],
                       failing)
    assert code == 0
    totals = json.loads(out)
    assert (totals["articles"], totals["failures"]) == (len(SEEDS), 1)
    assert totals["e2e_r"] < 1.0 and totals["e2e_p"] == 1.0  # its quotes are missed, the others found
    failed = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert failed and {(error["id"], error["kind"]) for error in failed} == {("004_46ea4b89775b8177", "missed")}


def test_evaluate_as_a_table(capsys, engine):
    code, out, _ = run(capsys, ["evaluate", str(REPO / "seeds" / "gold")], engine)
    assert code == 0
    assert {line.split()[0] for line in out.splitlines()} >= {"det_f1", "e2e_f1", "attr_acc"}


def test_evaluate_by_method_and_calibration(capsys, engine):
    code, out, _ = run(capsys, ["evaluate", str(REPO / "seeds" / "gold"), "--by-method", "--calibration"], engine)
    assert code == 0
    lines = out.splitlines()
    methods = lines.index(next(line for line in lines if line.startswith("method ")))
    rows = {line.split()[0]: line.split()[1:] for line in lines[methods + 1:] if line.split()[:1] != ["wrong"]
            and line.strip() and not line.startswith(("confidence", ">="))}
    assert "speech_verb" in rows
    attributed = int(next(line.split()[1] for line in lines if line.startswith("attr_scored")))
    assert sum(int(row[0]) for row in rows.values()) == attributed
    assert any(line.startswith(">= 0.8") for line in lines)


def test_evaluate_a_folder_without_gold(capsys, engine, tmp_path):
    code, _, err = run(capsys, ["evaluate", str(tmp_path)], engine)
    assert code == 1
    assert "no .json gold files" in err


# --- serve -------------------------------------------------------------------------------------

def test_serve_execs_gunicorn_with_the_config(capsys, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execvp", lambda file, args: calls.append((file, args)))
    assert cli.main(["serve", "--port", "8123"]) == 0
    (file, args), = calls
    assert file == args[0]
    assert args[0].endswith("gunicorn") or args[1:3] == ["-m", "gunicorn"]
    assert args[-3:] == ["--bind", "127.0.0.1:8123", "service:create_app()"]
    assert args[args.index("--config") + 1] == "python:service.gunicorn_conf"


def test_serve_binds_ipv6_hosts_in_brackets():
    assert cli.gunicorn_command("::1", 9000)[-2] == "[::1]:9000"


def test_serve_answers_over_http():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=60)

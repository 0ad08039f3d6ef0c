"""How fast the service is, as ratios measured in one run: ``python -m bench``.

On the same texts (the seed articles and, when ``../shared/eval-data`` is there, the polnear-dev
articles, repeated to at least 300 KB) it measures:

- words per second of the engine against a plain ``nlp.pipe`` of the same model with every
  component enabled (the engine one article at a time, as the API calls it, and in batches);
- per-article latency through the API in-process (Flask test client) and through gunicorn on
  loopback, and the HTTP overhead on a median-length article (the round trip less the engine
  time the worker reports for the same request);
- requests per second of gunicorn with two workers against one;
- peak memory of one worker, and of the whole service with two preloaded workers;
- articles per second of the batch route and of ``quotes extract --jsonl`` against the single route;
- the single route with articles as HTML (as a CMS stores them) against the same articles as text;
- the accuracy of the same engine on seeds and polnear-dev;
- the cost of comparing two versions of a story (``POST /v1/compare``'s work) against extracting
  both (``--compare-only`` measures just that).

Each target is printed with PASS or FAIL; the exit status is 1 if any failed. Rates and timings
are the best of alternating rounds (latencies take turns article by article), so a burst of noise
on a shared machine does not fall on one side of a ratio only.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .server import ROOT, Gunicorn, gunicorn, percentile, pss_kib, rss_kib

if TYPE_CHECKING:
    from service.engine import Engine

EVAL_DATA = ROOT.parent / "shared" / "eval-data"
MIN_CHARS = 300_000
BATCH_SIZE = 64  # articles per batch request: the service's default QUOTES_MAX_BATCH
BATCH_WORDS = 40_000  # and fewer when they are long: a request must stay within the token limit


@dataclass(frozen=True)
class Article:
    id: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    def json(self) -> bytes:
        return json.dumps({"id": self.id, "text": self.text}, ensure_ascii=False).encode("utf-8")


def load_articles(min_chars: int) -> tuple[list[Article], list[str]]:
    """The seed and polnear-dev articles, repeated to ``min_chars``; and the sets they came from."""
    articles = [Article(path.stem, path.read_text(encoding="utf-8"))
                for path in sorted((ROOT / "seeds" / "articles").glob("*.txt"))]
    sources = ["seeds"]
    polnear = EVAL_DATA / "polnear-dev"
    if polnear.is_dir():
        for path in sorted(polnear.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            articles.append(Article(gold["id"], gold["text"]))
        sources.append("polnear-dev")
    corpus, rounds = list(articles), 1
    while sum(len(a.text) for a in corpus) < min_chars:
        corpus += [Article(f"{a.id}#{rounds}", a.text) for a in articles]
        rounds += 1
    return corpus, sources


def best_rates(runs: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The highest rate of each run over ``rounds`` rounds, the runs alternating within a round."""
    best = {name: 0.0 for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            best[name] = max(best[name], run())
    return best


# --- the engine against plain spaCy ----------------------------------------------------------------

def engine_speed(engine: Engine, model: str, articles: list[Article], rounds: int) -> dict[str, float]:
    """Words per second of a plain ``nlp.pipe`` (all components) and of the engine, both ways."""
    import spacy

    plain = spacy.load(model)
    texts = [a.text for a in articles]
    words = sum(a.words for a in articles)
    return best_rates({
        "plain nlp.pipe, all components": lambda: words / timed(lambda: list(plain.pipe(texts))),
        "engine, extract() per article": lambda: words / timed(lambda: [engine.extract(text) for text in texts]),
        "engine, extract_many() in batches": lambda: words / timed(lambda: list(engine.extract_many(texts))),
    }, rounds)


# --- latency ------------------------------------------------------------------------------------

def timed(call: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def paired_latencies(ways: dict[str, Callable[[Article], object]], articles: Iterable[Article],
                     repeats: int = 1) -> dict[str, list[float]]:
    """Seconds each way takes on each article, the ways taking turns article by article (and going
    first in turn), so that noise on the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    order = list(ways)
    for article in articles:
        for _ in range(repeats):
            for name in order:
                times[name].append(timed(ways[name], article))
            order.append(order.pop(0))  # each way goes first in turn
    return times


def post_ok(client, path: str, body: bytes) -> bytes:
    status, answer = client.post_json(path, body)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {answer[:300]!r}")
    return answer


def http_overheads(server: Gunicorn, article: Article, repeats: int) -> list[float]:
    """For each of ``repeats`` requests of ``article``: the time around the engine's own work (the
    round trip less the ``elapsed_ms`` the worker's engine reports for that very request), as a
    fraction of that work."""
    client = server.client()
    fractions = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = json.loads(post_ok(client, "/v1/quotes", article.json()))
        round_trip = time.perf_counter() - started
        engine = answer["meta"]["elapsed_ms"] / 1000
        fractions.append((round_trip - engine) / engine)
    client.close()
    return fractions


def in_process_post(app) -> Callable[[Article], None]:
    client = app.test_client()

    def post(article: Article) -> None:
        response = client.post("/v1/quotes", data=article.json(), content_type="application/json")
        if response.status_code != 200:
            raise RuntimeError(f"/v1/quotes answered {response.status_code}")
    return post


def median_article(articles: list[Article]) -> Article:
    return sorted(articles, key=lambda a: len(a.text))[len(articles) // 2]


# --- throughput and memory ----------------------------------------------------------------------

class MemoryWatch:
    """The peak memory of a gunicorn master and its workers while a watched call runs: the service's
    proportional set size, sampled, and the largest resident peak of a worker, from the kernel."""

    def __init__(self, server: Gunicorn, every: float = 0.25) -> None:
        self.server, self.every = server, every
        self.peak_service_pss = 0
        self.peak_worker_rss = 0

    def _sample(self) -> None:
        workers = self.server.workers()
        try:
            total = pss_kib(self.server.process.pid) + sum(pss_kib(pid) for pid in workers)
            peak = max((rss_kib(pid, "VmHWM") for pid in workers), default=0)
        except OSError:  # a worker just replaced
            return
        self.peak_service_pss = max(self.peak_service_pss, total)
        self.peak_worker_rss = max(self.peak_worker_rss, peak)

    def during(self, call: Callable[[], float]) -> float:
        """``call()``, sampled every ``every`` seconds until it returns."""
        done = threading.Event()

        def sample_until_done() -> None:
            while not done.wait(self.every):
                self._sample()

        sampler = threading.Thread(target=sample_until_done, daemon=True)
        sampler.start()
        try:
            return call()
        finally:
            done.set()
            sampler.join()
            self._sample()


def concurrent_rate(server: Gunicorn, articles: list[Article], clients: int) -> float:
    """Requests per second with ``clients`` clients sharing the articles."""
    queue = iter(articles)
    lock = threading.Lock()

    def client_loop() -> None:
        client = server.client()
        while True:
            with lock:
                article = next(queue, None)
            if article is None:
                break
            post_ok(client, "/v1/quotes", article.json())
        client.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(client_loop) for _ in range(clients)]:
            future.result()
    return len(articles) / (time.perf_counter() - started)


def batches(articles: list[Article]) -> list[list[Article]]:
    """The articles in order, in requests of at most ``BATCH_SIZE`` articles and ``BATCH_WORDS`` words."""
    chunks: list[list[Article]] = [[]]
    words = 0
    for article in articles:
        if chunks[-1] and (len(chunks[-1]) == BATCH_SIZE or words + article.words > BATCH_WORDS):
            chunks.append([])
            words = 0
        chunks[-1].append(article)
        words += article.words
    return chunks


def batch_rate(server: Gunicorn, articles: list[Article]) -> float:
    client = server.client()
    started = time.perf_counter()
    for chunk in batches(articles):
        body = json.dumps({"articles": [{"id": a.id, "text": a.text} for a in chunk]}, ensure_ascii=False)
        post_ok(client, "/v1/quotes/batch", body.encode("utf-8"))
    client.close()
    return len(articles) / (time.perf_counter() - started)


def jsonl_rate(articles: list[Article], processes: int) -> float:
    """Articles per second of ``quotes extract --jsonl``, from its first answer to its last, so that
    its start-up (loading the model in each process) is left out."""
    command = [str(Path(sys.executable).with_name("quotes")), "extract", "--jsonl", "--processes", str(processes)]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def write() -> None:
        for article in articles:
            process.stdin.write(article.json() + b"\n")
        process.stdin.close()

    threading.Thread(target=write, daemon=True).start()
    times = [time.perf_counter() for _line in process.stdout]
    if process.wait() != 0 or len(times) != len(articles):
        raise RuntimeError(f"quotes extract --jsonl wrote {len(times)} lines for {len(articles)} articles")
    return (len(times) - 1) / (times[-1] - times[0])


# --- comparing versions -------------------------------------------------------------------------

def article_pairs(articles: list[Article]) -> list[tuple[Article, Article]]:
    """Seed 001 with its rewrite 000, then the other articles two by two."""
    by_id = {article.id: article for article in articles}
    first = [(by_id["001_81a850ca81dad687"], by_id["000_efcebe05e6753dc0"])]
    rest = [article for article in articles if article.id not in ("001_81a850ca81dad687", "000_efcebe05e6753dc0")]
    return first + list(zip(rest[::2], rest[1::2], strict=False))


def compare_cost(engine: Engine, articles: list[Article], rounds: int) -> tuple[dict[str, float], int]:
    """Seconds, summed over every pair of articles, of extracting both (``extract_many`` of the two),
    of answering each as ``POST /v1/quotes`` does, and of comparing the two results and answering as
    ``POST /v1/compare`` does; each the best of ``rounds``. Timed apart, on the same results, so that
    the noise of a shared machine on the extraction does not swamp the small part comparing adds.
    Also the number of pairs."""
    from service.contract.schemas import dump_comparison, dump_response
    from service.engine.compare import compare

    pairs = article_pairs(articles)
    best = {"extract": float("inf"), "answer": float("inf"), "compare": float("inf")}
    for _ in range(rounds):
        started = time.perf_counter()
        versions = [list(zip([a.id for a in pair], engine.extract_many([a.text for a in pair]), strict=True))
                    for pair in pairs]
        spent = {"extract": time.perf_counter() - started,
                 "answer": timed(lambda versions=versions: [dump_response(result, article_id)
                                                            for pair in versions for article_id, result in pair]),
                 "compare": timed(lambda versions=versions: [dump_comparison(compare(pair), pair, 0.0)
                                                             for pair in versions])}
        best = {name: min(best[name], spent[name]) for name in best}
    return best, len(pairs)


def compare_target(engine: Engine, rounds: int) -> Target:
    seconds, pairs = compare_cost(engine, load_articles(0)[0], rounds)
    extracting = seconds["extract"] + seconds["answer"]
    comparing = seconds["extract"] + seconds["compare"]
    table(f"Comparing two versions of a story ({pairs} pairs of articles, best of {rounds} rounds)", [
        ("extracting both", f"{seconds['extract']:7.2f} s"),
        ("answering each as POST /v1/quotes", f"{seconds['answer']:7.2f} s"),
        ("aligning their quotes and answering as POST /v1/compare", f"{seconds['compare']:7.2f} s"),
        ("comparing ÷ extracting both and answering each", f"{comparing / extracting:7.3f}×")])
    return Target("comparing two articles ÷ extracting both", comparing / extracting, 1.05, False)


# --- articles as HTML ---------------------------------------------------------------------------

CMS_EXTRAS = ('<figure class="photo"><img src="/p.jpg" alt=""><figcaption>&ldquo;A caption,&rdquo; it said. '
              '<span class="credit">Photo: Agency</span></figcaption></figure>\n'
              '<blockquote class="twitter-tweet"><p lang="en">&ldquo;An embedded post,&rdquo; it said</p>'
              '&mdash; Someone (@someone)</blockquote><script async src="/widgets.js"></script>\n')
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "“": "&ldquo;", "”": "&rdquo;", "’": "&#8217;"})


def cms_body(text: str) -> str:
    """An article as a newsroom CMS stores it: a <p> with attributes for each line, marks and
    apostrophes as entities, a captioned photo and an embedded post after the first paragraph."""
    paragraphs = [f'<p class="story-body-text" data-para-word-count="{len(line.split())}">'
                  f'{line.translate(_ENTITIES)}</p>\n'
                  for line in text.split("\n") if line.strip()]
    return '<div class="article-body">\n' + "".join(paragraphs[:1]) + CMS_EXTRAS + "".join(paragraphs[1:]) + "</div>\n"


def html_cost(app, articles: list[Article], rounds: int) -> dict[str, float]:
    """Seconds, summed over the articles, of ``POST /v1/quotes`` in-process with each article as
    text/plain and as the HTML a CMS stores (the two taking turns article by article; for each
    article and way the best of ``rounds``), and of reading the text out of the HTML alone."""
    from service.engine.text.html import html_to_text

    client = app.test_client()
    bodies = {article.id: cms_body(article.text) for article in articles}

    def post(content_type: str, body: str) -> None:
        response = client.post("/v1/quotes", data=body.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
        if response.status_code != 200:
            raise RuntimeError(f"/v1/quotes answered {response.status_code} to {content_type}")

    ways = {"text": lambda a: post("text/plain", a.text), "html": lambda a: post("text/html", bodies[a.id]),
            "reading": lambda a: html_to_text(bodies[a.id])}
    runs = [paired_latencies(ways, articles) for _ in range(rounds)]
    return {name: sum(min(run[name][k] for run in runs) for k in range(len(articles))) for name in ways}


def html_target(app, rounds: int) -> Target:
    articles = load_articles(0)[0]
    seconds = html_cost(app, articles, rounds)
    table(f"Articles as HTML: POST /v1/quotes in-process, {len(articles)} articles as text/plain and as a CMS "
          f"stores them, taking turns (best of {rounds} rounds)", [
              ("text/plain", f"{seconds['text']:7.2f} s"),
              ("text/html", f"{seconds['html']:7.2f} s  {seconds['html'] / seconds['text']:6.3f}×"),
              ("of which reading the text out of the HTML", f"{seconds['reading']:7.2f} s  "
                                                            f"{100 * seconds['reading'] / seconds['text']:5.1f}%")])
    return Target("HTML route ÷ text route (same articles)", seconds["html"] / seconds["text"], 1.1, False)


# --- accuracy -----------------------------------------------------------------------------------

def accuracy(engine: Engine, sources: list[str]) -> dict[str, dict]:
    from service.evaluate import engine_responses, evaluate, load_golds

    folders = {"seeds": ROOT / "seeds" / "gold", "polnear-dev": EVAL_DATA / "polnear-dev"}
    figures = {}
    for name in sources:
        golds = load_golds(folders[name])
        figures[name] = evaluate(golds, engine_responses(engine, golds)).totals()
    return figures


# --- the run ------------------------------------------------------------------------------------

@dataclass
class Target:
    name: str
    value: float
    bound: float
    at_least: bool
    unit: str = "×"

    @property
    def passed(self) -> bool:
        return self.value >= self.bound if self.at_least else self.value < self.bound

    def line(self) -> str:
        relation = "≥" if self.at_least else "<"
        digits = 4 if self.unit == "" else 2  # scores to four places, like the scorer
        return (f"  {'PASS' if self.passed else 'FAIL'}  {self.name:<52} {self.value:8.{digits}f}{self.unit}"
                f"   (target {relation} {self.bound:g}{self.unit})")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def mib(kib: float) -> str:
    return f"{kib / 1024:7.1f} MiB"


def table(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n{title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-chars", type=int, default=MIN_CHARS, help="repeat the articles to this size")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each timing (the best is kept)")
    parser.add_argument("--repeats", type=int, default=30, help="requests of the median article for the overhead")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients for the worker comparison")
    parser.add_argument("--compare-only", action="store_true",
                        help="measure only the cost of comparing two articles against extracting both")
    parser.add_argument("--html-only", action="store_true",
                        help="measure only the cost of the HTML route against the text route")
    args = parser.parse_args(argv)

    from service import create_app
    from service.engine import Engine
    from service.settings import Settings

    articles, sources = load_articles(args.min_chars)
    words = sum(a.words for a in articles)
    settings = Settings.from_env()
    engine = Engine.from_settings(settings)
    if args.compare_only or args.html_only:
        target = (compare_target(engine, args.rounds) if args.compare_only
                  else html_target(create_app({"TESTING": True, "ENGINE": engine}), args.rounds))
        print(f"\nTargets\n{target.line()}")
        return 0 if target.passed else 1
    print(f"{len(articles)} articles ({' + '.join(sources)}), {sum(len(a.text) for a in articles):,} characters, "
          f"{words:,} words; model {engine.model}; components {', '.join(engine.nlp.pipe_names)}")
    if "polnear-dev" not in sources:
        print(f"(no {EVAL_DATA / 'polnear-dev'}: seeds only)")

    speed = engine_speed(engine, settings.model, articles, args.rounds)
    plain = speed["plain nlp.pipe, all components"]
    table("Words per second (best of %d rounds)" % args.rounds,
          [(name, f"{value:9,.0f}  {value / plain:5.2f}×") for name, value in speed.items()])

    median = median_article(articles)
    logs = Path(tempfile.mkdtemp(prefix="quotes-bench-"))
    with gunicorn(1, logs / "one-worker.log") as server:
        client = server.client()
        ways = {"engine alone": lambda a: engine.extract(a.text),
                "API in-process (Flask test client)": in_process_post(create_app({"TESTING": True, "ENGINE": engine})),
                "API through gunicorn on loopback": lambda a: post_ok(client, "/v1/quotes", a.json())}
        latency = paired_latencies(ways, articles)
        overheads = http_overheads(server, median, args.repeats)
        client.close()
        with gunicorn(2, logs / "two-workers.log") as pair:
            one_worker, two_workers = MemoryWatch(server), MemoryWatch(pair)
            rates = best_rates(
                {"single": lambda: one_worker.during(lambda: concurrent_rate(server, articles, 1)),
                 "batch": lambda: one_worker.during(lambda: batch_rate(server, articles)),
                 "one": lambda: one_worker.during(lambda: concurrent_rate(server, articles, args.clients)),
                 "two": lambda: two_workers.during(lambda: concurrent_rate(pair, articles, args.clients))},
                args.rounds)
        single_rate, batch, one_rate, two_rate = rates["single"], rates["batch"], rates["one"], rates["two"]
    jsonl = best_rates({"one": lambda: jsonl_rate(articles, 1), "two": lambda: jsonl_rate(articles, 2)}, args.rounds)
    jsonl_one, jsonl_two = jsonl["one"], jsonl["two"]

    table("Latency per article, p50 / p95 (the three ways taking turns)",
          [(name, f"{ms(percentile(times, .5))} / {ms(percentile(times, .95))}") for name, times in latency.items()])
    table(f"Around the engine: the median article ({len(median.text):,} characters) through gunicorn", [
        (f"round trip less the worker's engine time, median of {args.repeats}",
         f"{100 * statistics.median(overheads):6.2f}% of the engine time"),
        ("p95", f"{100 * percentile(overheads, .95):6.2f}%")])
    table("Articles per second (× the single route, 1 worker, 1 client)", [
        ("single route, 1 worker, 1 client", f"{single_rate:7.1f}"),
        (f"batch route, 1 worker, up to {BATCH_SIZE} articles a request", f"{batch:7.1f}  {batch / single_rate:5.2f}×"),
        ("quotes extract --jsonl", f"{jsonl_one:7.1f}  {jsonl_one / single_rate:5.2f}×"),
        (f"single route, 1 worker, {args.clients} clients", f"{one_rate:7.1f}  {one_rate / single_rate:5.2f}×"),
        (f"single route, 2 workers, {args.clients} clients", f"{two_rate:7.1f}  {two_rate / single_rate:5.2f}×"),
        ("quotes extract --jsonl --processes 2", f"{jsonl_two:7.1f}  {jsonl_two / single_rate:5.2f}×"),
    ])
    table("Peak memory", [
        ("one worker (resident)", mib(one_worker.peak_worker_rss)),
        ("service with 1 worker (master + worker, proportional)", mib(one_worker.peak_service_pss)),
        ("service with 2 workers (master + workers, proportional)", mib(two_workers.peak_service_pss)),
    ])
    compared = compare_target(engine, args.rounds)
    read_html = html_target(create_app({"TESTING": True, "ENGINE": engine}), args.rounds)
    figures = accuracy(engine, sources)
    table("Accuracy of this engine", [
        (name, f"detection F1 {totals['det_f1']:.4f}, attribution {totals['attr_acc']:.4f}, "
               f"end-to-end F1 {totals['e2e_f1']:.4f}") for name, totals in figures.items()])

    targets = [
        Target("engine words/s ÷ plain nlp.pipe (extract per article)",
               speed["engine, extract() per article"] / plain, 1.0, True),
        Target("engine words/s ÷ plain nlp.pipe (extract_many)",
               speed["engine, extract_many() in batches"] / plain, 1.0, True),
        Target("HTTP overhead on the median article (gunicorn)",
               100 * statistics.median(overheads), 10, False, "%"),
        Target("requests/s, 2 workers ÷ 1 worker", two_rate / one_rate, 1.7, True),
        Target("one worker's peak memory", one_worker.peak_worker_rss / 1024, 400, False, " MiB"),
        Target("service with 2 workers ÷ one worker (memory)",
               two_workers.peak_service_pss / one_worker.peak_worker_rss, 1.6, False),
        Target("seeds end-to-end F1", figures["seeds"]["e2e_f1"], 0.95, True, ""),
        compared,
        read_html,
    ]
    if "polnear-dev" in figures:
        targets += [Target("polnear-dev detection F1", figures["polnear-dev"]["det_f1"], 0.90, True, ""),
                    Target("polnear-dev end-to-end F1", figures["polnear-dev"]["e2e_f1"], 0.80, True, "")]
    print("\nTargets")
    for target in targets:
        print(target.line())
    print(f"\n(gunicorn logs in {logs})")
    return 0 if all(target.passed for target in targets) else 1

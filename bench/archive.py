"""An archive through ``quotes extract --jsonl``: does memory stay flat, is every article answered
in order? ``python -m bench.archive``.

It streams ``--articles`` articles (default 100,000: the paragraphs of the seed and polnear-dev
articles, one or two to an article, each with its own id) into ``quotes extract --jsonl
--processes N`` from a writer thread, reads the answers as they come, and samples the resident
memory of the command and its worker processes twice a second. It prints the throughput and the
memory after 10%, 50% and 100% of the articles, and PASS when every id came back once, in order,
without an error line, and memory at the end is within ``GROWTH`` of memory after the first 10%.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .server import children, rss_kib
from .speed import EVAL_DATA, ROOT, load_articles, mib

GROWTH = 1.25  # memory at the end may be this much above memory after the first 10%


def paragraphs() -> list[str]:
    """Paragraphs of the benchmark articles of 80 to 600 characters."""
    articles, _sources = load_articles(0)
    found = [p.strip() for a in articles for p in a.text.split("\n")]
    return [p for p in found if 80 <= len(p) <= 600]


def archive_lines(count: int, texts: list[str]) -> Iterator[bytes]:
    """``count`` JSON lines, article ``n`` made of one or two paragraphs chosen by ``n``."""
    for n in range(count):
        text = texts[n % len(texts)]
        if n % 3 == 0:
            text += "\n\n" + texts[(n * 7 + 1) % len(texts)]
        yield json.dumps({"id": f"a{n}", "text": text}, ensure_ascii=False).encode("utf-8") + b"\n"


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children."""
    try:
        return rss_kib(pid) + sum(tree_rss_kib(child) for child in children(pid))
    except OSError:  # gone meanwhile
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.archive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)

    texts = paragraphs()
    command = [str(Path(sys.executable).with_name("quotes")), "extract", "--jsonl", "--processes", str(args.processes)]
    print(f"{args.articles:,} articles from {len(texts):,} paragraphs"
          f"{'' if (EVAL_DATA / 'polnear-dev').is_dir() else ' (seeds only)'}; {' '.join(command[1:])}")
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def write() -> None:
        for line in archive_lines(args.articles, texts):
            process.stdin.write(line)
        process.stdin.close()

    answered = 0
    samples: list[tuple[int, int]] = []  # (articles answered, resident KiB of the command and its workers)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            samples.append((answered, tree_rss_kib(process.pid)))

    threading.Thread(target=write, daemon=True).start()
    threading.Thread(target=sample, daemon=True).start()
    started = time.perf_counter()
    first_answer = None
    out_of_order = errors = 0
    for line in process.stdout:
        answer = json.loads(line)
        first_answer = first_answer or time.perf_counter() - started
        out_of_order += answer.get("id") != f"a{answered}"
        errors += "error" in answer
        answered += 1
    seconds = time.perf_counter() - started
    stop.set()
    code = process.wait()

    def memory_at(fraction: float) -> int:
        """The highest sample taken before ``fraction`` of the articles were answered."""
        return max((kib for done, kib in samples if done <= fraction * args.articles), default=0)

    early, middle, end = memory_at(0.1), memory_at(0.5), memory_at(1.0)
    print(f"answered {answered:,} of {args.articles:,} in {seconds:,.0f} s ({answered / seconds:,.0f} articles/s); "
          f"first answer after {first_answer or 0:.1f} s")
    print(f"resident memory, command and workers: {mib(early)} by 10%, {mib(middle)} by 50%, {mib(end)} by the end")
    problems = []
    if code != 0:
        problems.append(f"the command exited with {code}")
    if answered != args.articles or out_of_order:
        problems.append(f"{answered:,} answers for {args.articles:,} articles, {out_of_order:,} out of order")
    if errors:
        problems.append(f"{errors:,} error lines")
    if not early or end > GROWTH * early:
        problems.append(f"memory grew from {mib(early).strip()} to {mib(end).strip()} (limit {GROWTH}×)")
    for problem in problems:
        print("problem:", problem)
    print("FAIL" if problems else f"PASS (memory at the end {end / early:.2f}× memory at 10%)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

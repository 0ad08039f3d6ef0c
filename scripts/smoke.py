#!/usr/bin/env python3
"""Smoke-test a running quotes server (standard library only).

    smoke.py ready URL               exit 0 when GET URL/ready answers 200, else 1
    smoke.py wait URL [--timeout S]  poll /ready until it answers 200 (bounded)
    smoke.py quotes URL ARTICLE      POST the article to /v1/quotes and check the answer

Only counts, offsets and status codes are printed: never article text.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid


def ready(base: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/ready", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def wait(base: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    start = time.monotonic()
    while time.monotonic() < deadline:
        if ready(base):
            print(f"ready after {time.monotonic() - start:.1f}s")
            return 0
        time.sleep(1)
    print(f"not ready after {timeout:.0f}s", file=sys.stderr)
    return 1


def fail(msg: str) -> int:
    print(f"FAIL: {msg}", file=sys.stderr)
    return 1


def quotes(base: str, article_path: str, allow_empty: bool) -> int:
    with open(article_path, encoding="utf-8") as fh:
        article = fh.read()
    request_id = f"smoke-{uuid.uuid4().hex[:12]}"
    body = json.dumps({"text": article, "id": "smoke"}).encode("utf-8")
    req = urllib.request.Request(
        f"{base}/v1/quotes",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Request-ID": request_id},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            status, ctype, raw = resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return fail(f"POST /v1/quotes answered {exc.code}")
    elapsed = (time.monotonic() - started) * 1000
    if status != 200:
        return fail(f"POST /v1/quotes answered {status}")
    if "json" not in ctype:
        return fail(f"POST /v1/quotes answered Content-Type {ctype!r}")
    try:
        doc = json.loads(raw)
    except ValueError:
        return fail("POST /v1/quotes answered a body that is not JSON")
    if not isinstance(doc, dict):
        return fail("the answer is not a JSON object")
    for key, kind in (("id", str), ("quotes", list), ("speakers", list), ("meta", dict)):
        if not isinstance(doc.get(key), kind):
            return fail(f"the answer's {key!r} is missing or not a {kind.__name__}")
    if doc["id"] != "smoke":
        return fail("the answer's id does not echo the request's")
    found = doc["quotes"]
    if not found and not allow_empty:
        return fail("no quotes found in a seed article that has some")
    for i, q in enumerate(found):
        start, end, text = q.get("start"), q.get("end"), q.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(article)):
            return fail(f"quote {i} has bad offsets")
        if article[start:end] != text:
            return fail(f"quote {i}: text differs from article[start:end]")
    attributed = sum(1 for q in found if q.get("speaker"))
    print(
        f"POST /v1/quotes: 200 in {elapsed:.0f} ms, {len(found)} quotes "
        f"({attributed} attributed), {len(doc['speakers'])} speakers, model {doc['meta'].get('model')!r}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_ready = sub.add_parser("ready")
    p_ready.add_argument("url")
    p_wait = sub.add_parser("wait")
    p_wait.add_argument("url")
    p_wait.add_argument("--timeout", type=float, default=180)
    p_quotes = sub.add_parser("quotes")
    p_quotes.add_argument("url")
    p_quotes.add_argument("article")
    p_quotes.add_argument("--allow-empty", action="store_true", help="accept an answer with no quotes")
    args = parser.parse_args(argv)
    base = args.url.rstrip("/")
    if args.cmd == "ready":
        return 0 if ready(base) else 1
    if args.cmd == "wait":
        return wait(base, args.timeout)
    return quotes(base, args.article, args.allow_empty)


if __name__ == "__main__":
    sys.exit(main())

"""The page people meet first: paste an article at ``GET /`` and see who said what.

A plain HTML page with its own script and style sheet (no build step, no CDN), which
calls the same ``POST /v1/quotes`` as any other client. Its security headers (a content security
policy that allows only its own files) are the app's, set in ``service/api/security.py``. Its few routes:

``GET /``                   the page
``GET /compare``            the page comparing two versions of a story (``POST /v1/compare``)
``GET /static/<file>``      its script, style sheet and icon
``GET /examples``           the example articles it offers: ``{"examples": [{"id", "title", "characters"}]}``
``GET /examples/<id>.txt``  one example article, as plain text

The example articles are the project's seed articles, shipped inside the package.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from flask import Blueprint, Response, abort, jsonify, render_template

from ..version import __version__

bp = Blueprint("web", __name__, static_folder="static", static_url_path="/static",
               template_folder="templates")

TITLE_WORDS = 5      # a title line has at least this many words ("World" or "By AFP" do not)
TITLE_LENGTH = 72    # titles longer than this are cut at a word


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    text: str


@bp.get("/")
def index():
    return render_template("index.html", version=__version__)


@bp.get("/compare")
def compare_page():
    return render_template("compare.html", version=__version__)


@bp.get("/examples")
def example_list():
    return jsonify({"examples": [{"id": example.id, "title": example.title,
                                  "characters": len(example.text)}
                                 for example in examples().values()]})


@bp.get("/examples/<name>.txt")
def example_text(name: str):
    example = examples().get(name)
    if example is None:
        abort(404, f"There is no example article {name[:80]!r}; GET /examples lists them.")
    return Response(example.text, mimetype="text/plain")


@functools.cache
def examples() -> dict[str, Example]:
    """The example articles shipped in ``service/web/examples``, by id (the file name without .txt)."""
    folder = resources.files(__name__).joinpath("examples")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".txt"):
            text = entry.read_text(encoding="utf-8")
            name = entry.name.removesuffix(".txt")
            found[name] = Example(name, title(text), text)
    return found


def title(text: str) -> str:
    """A short label for an article: its first line of some length (a headline or a lead), cut at a word."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = next((line for line in lines if len(line.split()) >= TITLE_WORDS), lines[0] if lines else "")
    line = re.sub(r"\s+", " ", line)
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[:TITLE_LENGTH + 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"

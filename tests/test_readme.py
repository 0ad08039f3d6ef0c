"""The README and docs/ say what the project does: their examples are what the service answers, the
layout in docs/architecture.md names the package as it is, and their links lead somewhere.

To refresh a shown response after a change to the engine, run ``python tests/test_readme.py`` and
paste what it prints (the README's example, then docs/html.md's) in place of the old one.
"""
from __future__ import annotations

import json
import re
import shlex
import sys

from helpers import ROOT, assert_offsets, without_timing

README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"
HTML_DOC = DOCS / "html.md"
PACKAGE = ROOT / "service"
README_MAX_LINES = 300

_CURL = re.compile(r"```sh\n(curl -s http://127\.0\.0\.1:8000/v1/quotes .*?)\n```", re.S)
_RESPONSE = re.compile(r"<!-- example-response:[^>]*-->\n```json\n(.*?)\n```", re.S)
_HTML_SOURCE = re.compile(r"--data-binary \\\n  '(.*?)'\n```", re.S)
_HTML_RESPONSE = re.compile(r"<!-- html-doc-response:[^>]*-->\n```json\n(.*?)\n```", re.S)


def example_request() -> tuple[str, str]:
    """The path and JSON body of the README's curl command."""
    command = shlex.split(_CURL.search(README.read_text(encoding="utf-8")).group(1).replace("\\\n", " "))
    url = command[command.index("-s") + 1]
    return url.removeprefix("http://127.0.0.1:8000"), command[command.index("-d") + 1]


def shown_response() -> dict:
    return json.loads(_RESPONSE.search(README.read_text(encoding="utf-8")).group(1))


def html_example() -> tuple[str, dict]:
    """The HTML body of docs/html.md's curl command and the answer the page shows for it."""
    document = HTML_DOC.read_text(encoding="utf-8")
    return _HTML_SOURCE.search(document).group(1), json.loads(_HTML_RESPONSE.search(document).group(1))


def post_html(client, source: str):
    return client.post("/v1/quotes", data=source.encode("utf-8"), content_type="text/html; charset=utf-8")


def test_the_readme_example_is_what_the_service_answers(client):
    path, body = example_request()
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 200
    assert_offsets(json.loads(body)["text"], response.json)
    assert without_timing(response.json) == without_timing(shown_response()), (
        "the README shows an outdated response; run `python tests/test_readme.py` and paste its output")


def test_the_html_example_of_the_docs_is_what_the_service_answers(client):
    source, shown = html_example()
    response = post_html(client, source)
    assert response.status_code == 200
    assert without_timing(response.json) == without_timing(shown), (
        "docs/html.md shows an outdated response; run `python tests/test_readme.py` and paste its output")
    quote = response.json["quotes"][0]
    assert source[quote["html_start"]:quote["html_end"]] == "We are <em>ready</em>,"


def test_the_readme_is_short():
    lines = len(README.read_text(encoding="utf-8").splitlines())
    assert lines <= README_MAX_LINES, (
        f"the README has {lines} lines (at most {README_MAX_LINES}): move the detail into docs/")


# --- the layout of the package ---------------------------------------------------------------

_LAYOUT = re.compile(r"## Layout\n.*?```\n(service/\n.*?)\n```", re.S)
_ENTRY = re.compile(r"( *)(\S+)(?: {2,}(\S.*))?$")


def layout_paths() -> dict[str, str]:
    """Every path the layout of docs/architecture.md names, relative to the root, with its line.

    The layout is a tree, two spaces of indentation a level, one line per module or folder: its
    name (a folder's ending in ``/``), two spaces or more, and what it is."""
    block = _LAYOUT.search(ARCHITECTURE.read_text(encoding="utf-8")).group(1)
    paths: dict[str, str] = {}
    folders: list[str] = []  # the folder open at each level
    for line in block.splitlines():
        match = _ENTRY.fullmatch(line)
        assert match, f"the layout's line {line!r} is not `name  what it is`"
        indent, name, description = match.groups()
        assert len(indent) % 2 == 0, f"the layout's line {line!r} is not indented by two spaces a level"
        level = len(indent) // 2
        assert level <= len(folders), f"the layout's line {line!r} is indented below no folder"
        assert level == 0 or description, f"the layout's line {line!r} does not say what {name} is"
        del folders[level:]
        path = "/".join([*folders, name.rstrip("/")])
        paths[path] = line
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
    return paths


def package_paths() -> set[str]:
    """Every module (but ``__init__.py``) and every folder of the package, relative to the root."""
    found = {"service"}
    for path in PACKAGE.rglob("*"):
        if "__pycache__" in path.parts:
            continue
        if path.is_dir() or (path.suffix == ".py" and path.name != "__init__.py"):
            found.add(path.relative_to(ROOT).as_posix())
    return found


def _folders_in_layout(paths: dict[str, str]) -> set[str]:
    return {path for path, line in paths.items() if line.split()[0].endswith("/")}


def test_the_layout_names_every_module_and_folder_of_the_package():
    paths = layout_paths()
    missing = sorted(package_paths() - set(paths))
    assert not missing, f"the layout of docs/architecture.md does not name {', '.join(missing)}"


def test_the_layout_names_nothing_that_is_not_there():
    paths = layout_paths()
    gone = sorted(path for path in paths if not (ROOT / path).exists())
    assert not gone, f"the layout of docs/architecture.md names {', '.join(gone)}, which are not in the package"
    wrong_kind = sorted(path for path in _folders_in_layout(paths) if not (ROOT / path).is_dir())
    assert not wrong_kind, f"the layout names {', '.join(wrong_kind)} as folders"


# --- links -----------------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.M)
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def anchors(document: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown document."""
    document = _FENCE.sub("", document)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in _HEADING.findall(document)}


def test_every_link_of_the_readme_and_the_docs_leads_somewhere():
    broken = []
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        text = _FENCE.sub("", page.read_text(encoding="utf-8"))
        for target in _LINK.findall(text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            file, _, anchor = target.partition("#")
            destination = (page.parent / file).resolve() if file else page
            if not destination.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
            elif anchor and destination.suffix == ".md" \
                    and anchor not in anchors(destination.read_text(encoding="utf-8")):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "links that lead nowhere: " + "; ".join(broken)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from service import create_app

    client = create_app({"TESTING": True}).test_client()
    path, body = example_request()
    print(json.dumps(client.post(path, data=body, content_type="application/json").json, ensure_ascii=False, indent=2))
    print(json.dumps(post_html(client, html_example()[0]).json, ensure_ascii=False, indent=2))

"""The README's curl example gets the response the README shows.

To refresh the shown response after a change to the engine, run
``python tests/test_readme.py`` and paste what it prints into the README.
"""
from __future__ import annotations

import json
import re
import shlex
import sys

from helpers import ROOT, assert_offsets, without_timing

README = ROOT / "README.md"
_CURL = re.compile(r"```sh\n(curl -s http://127\.0\.0\.1:8000/v1/quotes .*?)\n```", re.S)
_RESPONSE = re.compile(r"<!-- example-response:[^>]*-->\n```json\n(.*?)\n```", re.S)


def example_request() -> tuple[str, str]:
    """The path and JSON body of the README's curl command."""
    command = shlex.split(_CURL.search(README.read_text(encoding="utf-8")).group(1).replace("\\\n", " "))
    url = command[command.index("-s") + 1]
    return url.removeprefix("http://127.0.0.1:8000"), command[command.index("-d") + 1]


def shown_response() -> dict:
    return json.loads(_RESPONSE.search(README.read_text(encoding="utf-8")).group(1))


def test_the_readme_example_is_what_the_service_answers(client):
    path, body = example_request()
    response = client.post(path, data=body, content_type="application/json")
    assert response.status_code == 200
    assert_offsets(json.loads(body)["text"], response.json)
    assert without_timing(response.json) == without_timing(shown_response()), (
        "the README shows an outdated response; run `python tests/test_readme.py` and paste its output")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from service import create_app

    path, body = example_request()
    answer = create_app({"TESTING": True}).test_client().post(path, data=body, content_type="application/json")
    print(json.dumps(answer.json, ensure_ascii=False, indent=2))


_LAYOUT = re.compile(r"## Layout\n\n```\n(.*?)\n```", re.S)
_LAYOUT_PACKAGES = ("service", "service/api", "service/contract", "service/cli", "service/engine")


def test_the_layout_names_every_module_and_folder_of_the_package():
    layout = _LAYOUT.search(README.read_text(encoding="utf-8")).group(1)
    missing = []
    for package in _LAYOUT_PACKAGES:
        for path in sorted((ROOT / package).iterdir()):
            if path.is_dir() and path.name != "__pycache__" and f"{path.name}/" not in layout:
                missing.append(f"{package}/{path.name}/")
            if path.suffix == ".py" and path.name != "__init__.py" and path.name not in layout:
                missing.append(f"{package}/{path.name}")
    assert not missing, f"the README's Layout section does not name {', '.join(missing)}"

#!/usr/bin/env bash
# Install the package as a user would, on one Python version, and smoke-test it.
#
#   bash scripts/smoke-python.sh 3.12
#
# 1. copies the working tree (tracked and new files, nothing ignored) to a throwaway
#    folder, as a clean checkout would be, and makes a venv with pythonVERSION;
# 2. installs it with `pip install SOURCE` (a built wheel, not editable) and works from
#    another folder from then on, so nothing is found by being next to the sources;
# 3. `quotes evaluate seeds/gold` must score end-to-end F1 1.0;
# 4. `quotes extract ARTICLE | head -c 10` must end quietly, without a traceback;
# 5. `QUOTES_WORKERS=2 quotes serve` must run gunicorn with the package's settings (two
#    workers, the JSON access log) and answer a seed article on POST /v1/quotes.
#
# Needs pythonVERSION (on PATH or a pyenv build) and the package index, or pip's cache.
# Settings: QUOTES_READY_TIMEOUT seconds to wait for /ready (default 180).
set -euo pipefail

VERSION=${1:?usage: smoke-python.sh VERSION (such as 3.12)}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
READY_TIMEOUT=${QUOTES_READY_TIMEOUT:-180}
ARTICLE=$ROOT/seeds/articles/001_81a850ca81dad687.txt
STARTED=$SECONDS

say() { echo "smoke-python $VERSION: $*"; }
fail() { say "FAIL: $*" >&2; exit 1; }

# pythonVERSION on PATH, else a pyenv build of it (pyenv's shim answers only for the versions selected).
find_python() {
    local candidate
    for candidate in "python$VERSION" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$VERSION".*/bin/"python$VERSION"; do
        if "$candidate" -c "import sys; sys.exit('%d.%d' % sys.version_info[:2] != '$VERSION')" 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
PYTHON=$(find_python) || fail "python$VERSION not found on PATH nor among pyenv's versions"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/quotes-smoke-$VERSION.XXXXXX")
SERVER=""
cleanup() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
        kill -TERM "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# The files of a clean checkout: tracked and new ones, nothing git ignores (.venv, build leftovers).
copy_sources() {
    if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
            | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$1"
    else
        tar -C "$ROOT" --exclude=./.venv --exclude=node_modules --exclude=./build -cf - . | tar -xf - -C "$1"
    fi
}

# 1. a clean copy of the sources and a fresh venv
mkdir "$TMP/source" "$TMP/elsewhere"
copy_sources "$TMP/source"
"$PYTHON" -m venv "$TMP/venv"
VENV=$TMP/venv
say "$("$VENV/bin/python" --version)"

# 2. pip install SOURCE, then leave the sources
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$TMP/source"
say "installed in $((SECONDS - STARTED)) s"
cd "$TMP/elsewhere"
LOCATION=$("$VENV/bin/python" -c 'import service, service.gunicorn_conf; print(service.__file__)')
case $LOCATION in
    "$VENV"/lib/*/site-packages/*) ;;
    *) fail "service is imported from $LOCATION, not from the installed package" ;;
esac
QUOTES=$VENV/bin/quotes

# 3. the seeds' accuracy
F1=$("$QUOTES" evaluate "$ROOT/seeds/gold" --json \
     | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["e2e_f1"])')
[ "$F1" = "1.0" ] || fail "end-to-end F1 on the seeds is $F1, not 1.0"
say "quotes evaluate seeds/gold: end-to-end F1 $F1"

# 4. a reader that stops early
set +o pipefail
"$QUOTES" extract "$ARTICLE" 2>"$TMP/extract.err" | head -c 10 >/dev/null
STATUS=${PIPESTATUS[0]}
set -o pipefail
[ "$STATUS" -eq 0 ] || fail "quotes extract | head -c 10 exited $STATUS: $(head -c 500 "$TMP/extract.err")"
[ ! -s "$TMP/extract.err" ] || fail "quotes extract | head -c 10 wrote to stderr: $(head -c 500 "$TMP/extract.err")"
say "quotes extract | head -c 10: exit 0, nothing on stderr"

# 5. quotes serve with the package's gunicorn settings
PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
QUOTES_WORKERS=2 "$QUOTES" serve --port "$PORT" >"$TMP/serve.log" 2>&1 &
SERVER=$!
URL=http://127.0.0.1:$PORT
"$VENV/bin/python" "$ROOT/scripts/smoke.py" wait "$URL" --timeout "$READY_TIMEOUT" \
    || fail "quotes serve never got ready: $(tail -c 1000 "$TMP/serve.log")"
"$VENV/bin/python" "$ROOT/scripts/smoke.py" quotes "$URL" "$ARTICLE" || fail "POST /v1/quotes"
# The master's children are its workers (forks of it, same command line) and its waiting room.
WORKERS=0
for CHILD in $(cat "/proc/$SERVER/task/$SERVER/children"); do
    cmp -s "/proc/$CHILD/cmdline" "/proc/$SERVER/cmdline" && WORKERS=$((WORKERS + 1))
done
[ "$WORKERS" -eq 2 ] || fail "QUOTES_WORKERS=2 but gunicorn runs $WORKERS workers"
"$VENV/bin/python" - "$TMP/serve.log" <<'EOF' || fail "no JSON access log line for POST /v1/quotes"
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        record = json.loads(line)
    except ValueError:
        continue
    if isinstance(record, dict) and record.get("path") == "/v1/quotes" and record.get("status") == 200:
        sys.exit(0)
sys.exit(1)
EOF
say "quotes serve: 2 workers, JSON access log, POST /v1/quotes answered"
kill -TERM "$SERVER"
wait "$SERVER" || fail "quotes serve did not stop cleanly on SIGTERM"
SERVER=""

say "PASS in $((SECONDS - STARTED)) s"

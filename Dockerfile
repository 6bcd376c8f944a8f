# Ronda in one container: the web app on port 8000, data in /data (SQLite) unless
# RONDA_DATABASE_URL points at PostgreSQL.
FROM python:3.11-slim

WORKDIR /srv/ronda
COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY scheduler scheduler
COPY app app
COPY alembic alembic
COPY templates templates
COPY static static
COPY examples examples
RUN pip install --no-cache-dir -e . && useradd --create-home ronda && mkdir /data \
    && chown ronda /data
USER ronda

ENV RONDA_DATABASE_URL=sqlite:////data/ronda.db
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# One worker: running solves and their progress live in the server process.
CMD ["ronda", "serve", "--host", "0.0.0.0", "--port", "8000"]

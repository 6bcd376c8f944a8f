"""The deployment files say what the README says: compose runs PostgreSQL, the migrations once,
the app with 4 workers, 2 solve workers and a proxy that does not buffer live updates; the image
is slim, runs as a non-root user, pins its dependencies and has a health check."""

from __future__ import annotations

import re
from importlib.metadata import requires
from pathlib import Path

import yaml

COMPOSE = yaml.safe_load(Path("compose.yaml").read_text(encoding="utf-8"))
NGINX = Path("deploy/nginx.conf").read_text(encoding="utf-8")
DOCKERFILE = Path("Dockerfile").read_text(encoding="utf-8")


def test_compose_runs_the_database_migrations_app_solvers_and_proxy() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"db", "migrate", "web", "solver", "proxy"}
    assert services["migrate"]["command"] == ["ronda", "migrate"]
    web = services["web"]
    assert web["command"][:2] == ["uvicorn", "app.main:app"]
    assert web["command"][web["command"].index("--workers") + 1] == "4"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["environment"]["RONDA_SOLVE_IN_APP"] == "false"  # the solvers make the plans
    assert web["environment"]["RONDA_DATABASE_URL"].startswith("postgresql+psycopg://")
    solver = services["solver"]
    assert solver["command"] == ["ronda", "worker"] and solver["deploy"]["replicas"] == 2
    assert solver["stop_grace_period"] == "60s"  # time to save the best plans on SIGTERM
    proxy = services["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]


def test_the_proxy_passes_live_updates_through_unbuffered() -> None:
    stream = re.search(
        r"location ~ \^/api/events/\[0-9\]\+/session/stream\$ \{(.*?)\}", NGINX, re.S
    )
    assert stream, "no location for the live streams"
    body = stream.group(1)
    assert "proxy_buffering off;" in body and "gzip off;" in body
    assert "proxy_read_timeout 1h;" in body
    assert "proxy_http_version 1.1;" in NGINX and 'proxy_set_header Connection "";' in NGINX


def test_the_image_is_slim_non_root_pinned_and_watched() -> None:
    assert DOCKERFILE.startswith("#") and "FROM python:3.11-slim" in DOCKERFILE
    assert re.search(r"^USER ronda$", DOCKERFILE, re.M)
    assert "-c constraints.txt" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE


def test_every_dependency_is_pinned_in_the_constraints() -> None:
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in Path("constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    direct = {
        re.split(r"[ <>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-")
        for r in requires("ronda") or []
        if "extra ==" not in r
    }
    assert direct <= pinned, f"not pinned: {sorted(direct - pinned)}"

"""Sign-in that holds (OWASP ASVS 5.0 V6 and V7): sessions kept on the server, so that signing
out, a password change or a disabled account end them; API tokens for scripts; limits on wrong
passwords; password checks that never hold a database connection."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import httpx
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine, select

from app.database import migrate
from app.models import LoginSession
from app.services import accounts
from tests.app.conftest import ADMIN


def browser(live_server: str) -> httpx.Client:
    return httpx.Client(base_url=live_server, timeout=30, headers={"Origin": live_server})


def sign_in(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/login", data={"username": username, "password": password})


def test_signing_out_ends_the_session_for_a_copied_cookie(live_server: str) -> None:
    with browser(live_server) as client:
        assert sign_in(client, *ADMIN).status_code == 303
        stolen = dict(client.cookies)
        assert client.get("/api/events").status_code == 200
        client.post("/logout")
    with browser(live_server) as thief:
        thief.cookies.update(stolen)
        assert thief.get("/api/events").status_code == 401


def test_a_password_change_signs_out_every_other_browser(live_server: str) -> None:
    with browser(live_server) as laptop, browser(live_server) as tablet:
        sign_in(laptop, *ADMIN)
        sign_in(tablet, *ADMIN)
        wrong = laptop.post(
            "/api/account/password",
            json={"current_password": "nope", "new_password": "a new long one"},
        )
        assert (
            wrong.status_code == 400 and "current password is not right" in wrong.json()["detail"]
        )
        short = laptop.post("/account/password", data={"current": ADMIN[1], "new": "short"})
        assert short.status_code == 422 and "fewer than 8 characters" in short.text
        changed = laptop.post(
            "/account/password", data={"current": ADMIN[1], "new": "a new long one"}
        )
        assert changed.status_code == 200 and "Password changed" in changed.text
        assert laptop.get("/api/events").status_code == 200  # this browser stays signed in
        assert tablet.get("/api/events").status_code == 401
    with httpx.Client(base_url=live_server) as script:
        assert script.get("/api/events", auth=ADMIN).status_code == 401
        assert script.get("/api/events", auth=("admin", "a new long one")).status_code == 200


def test_api_tokens_are_shown_once_and_stop_when_revoked(live_server: str) -> None:
    with httpx.Client(base_url=live_server, auth=ADMIN) as script:
        made = script.post("/api/account/tokens", json={"name": "import script"})
        assert made.status_code == 201
        token = made.json()["token"]
        assert token.startswith("ronda_") and len(token) > 40
        listed = script.get("/api/account/tokens").json()
        assert [t["name"] for t in listed] == ["import script"] and "token" not in listed[0]
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=live_server, headers=bearer) as script:
        assert script.post("/api/events", json={"name": "By token", "rounds": 3}).status_code == 201
        assert script.get("/api/account/tokens").json()[0]["used_at"] is not None
        assert script.delete(f"/api/account/tokens/{made.json()['id']}").status_code == 204
        assert script.get("/api/events").status_code == 401


def test_an_admin_disables_an_account_and_its_sessions_and_tokens_stop(live_server: str) -> None:
    with httpx.Client(base_url=live_server, auth=ADMIN) as admin:
        created = admin.post(
            "/api/accounts", json={"username": "ana", "password": "ana's long password"}
        )
        assert created.status_code == 201 and created.json()["is_admin"] is False
        ana_id = created.json()["id"]
    with browser(live_server) as ana:
        sign_in(ana, "ana", "ana's long password")
        token = ana.post("/api/account/tokens", json={"name": "mine"}).json()["token"]
        assert ana.get("/api/accounts").status_code == 403  # not an admin
        with httpx.Client(base_url=live_server, auth=ADMIN) as admin:
            off = admin.patch(f"/api/accounts/{ana_id}", json={"disabled": True})
            assert off.status_code == 200 and off.json()["disabled"] is True
            last = admin.patch(f"/api/accounts/{off.json()['id'] - 1}", json={"disabled": True})
            assert last.status_code == 409 and "last admin" in last.json()["detail"]
        assert ana.get("/api/events").status_code == 401
        assert sign_in(ana, "ana", "ana's long password").status_code == 401
        bearer = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{live_server}/api/events", headers=bearer).status_code == 401
        with httpx.Client(base_url=live_server, auth=ADMIN) as admin:
            admin.patch(f"/api/accounts/{ana_id}", json={"disabled": False})
        assert httpx.get(f"{live_server}/api/events", headers=bearer).status_code == 200


def test_wrong_passwords_are_limited_per_account_and_answer_429(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as attacker:
        for _ in range(10):
            assert attacker.get("/api/events", auth=("admin", "guess")).status_code == 401
        paused = attacker.get("/api/events", auth=ADMIN)  # even the right one waits now
        assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 0
        assert "Too many wrong passwords" in paused.json()["detail"]
        form = attacker.post("/login", data={"username": "admin", "password": ADMIN[1]})
        assert form.status_code == 429 and "Try again in" in form.text
        for _ in range(20):  # another account from the same address, until the address limit
            attacker.get("/api/events", auth=(f"user{_}", "guess"))
        other = attacker.get("/api/events", auth=("someone", "guess"))
        assert other.status_code == 429


def test_a_password_check_holds_no_database_connection(tmp_path: Path) -> None:
    """One connection in the pool: while a (slow) password check runs, another request still
    gets the connection, so a flood of wrong passwords cannot starve the day's pages."""
    url = f"sqlite:///{tmp_path / 'one.db'}"
    migrate(url)
    engine = create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=0, pool_timeout=5)
    with Session(engine) as session:
        accounts.create_account(session, username="ana", password="ana's long password")
    started, release = threading.Event(), threading.Event()
    real = accounts._hasher.verify

    def slow_verify(password: str, digest: str) -> bool:
        started.set()
        release.wait(30)
        return bool(real(password, digest))

    results: list[object] = []

    def check() -> None:
        with Session(engine) as session:
            results.append(
                accounts.authenticate(session, username="ana", password="ana's long password")
            )

    accounts._hasher.verify = slow_verify  # type: ignore[method-assign]
    try:
        worker = threading.Thread(target=check)
        worker.start()
        assert started.wait(30)
        with Session(engine) as other:  # would time out if the check kept the connection
            assert other.exec(select(LoginSession)).all() == []
        release.set()
        worker.join(30)
    finally:
        accounts._hasher.verify = real  # type: ignore[method-assign]
    assert results and results[0] is not None
    engine.dispose()


def test_sessions_end_after_the_idle_and_the_longest_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'idle.db'}"
    migrate(url)
    engine = create_engine(url)
    with Session(engine) as session:
        ana = accounts.create_account(session, username="ana", password="ana's long password")
        secret = accounts.start_session(session, account=ana)
        hours = {"idle": dt.timedelta(hours=1), "longest": dt.timedelta(hours=10)}
        assert accounts.session_account(session, secret=secret, **hours) is not None
        row = session.exec(select(LoginSession)).one()
        row.seen_at -= dt.timedelta(hours=2)
        session.commit()
        assert accounts.session_account(session, secret=secret, **hours) is None
        secret = accounts.start_session(session, account=ana)
        row = session.exec(select(LoginSession)).one()
        row.created_at -= dt.timedelta(hours=11)  # used a minute ago, but started too long ago
        session.commit()
        assert accounts.session_account(session, secret=secret, **hours) is None
        assert session.exec(select(LoginSession)).all() == []
    engine.dispose()

"""One settings object, read from RONDA_* environment variables."""

from __future__ import annotations

import pytest

from app.settings import Settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RONDA_DATABASE_URL", "RONDA_SECRET_KEY", "RONDA_SOLVE_TIME_LIMIT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///ronda.db"
    assert settings.solve_time_limit == 10
    # Without RONDA_SECRET_KEY each process gets its own random key, never a shared default.
    assert len(settings.secret_key.get_secret_value()) >= 32
    assert Settings().secret_key != settings.secret_key


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RONDA_DATABASE_URL", "postgresql+psycopg://ronda@db/ronda")
    monkeypatch.setenv("RONDA_SECRET_KEY", "s3cret")
    monkeypatch.setenv("RONDA_SOLVE_TIME_LIMIT", "2.5")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://ronda@db/ronda"
    assert settings.secret_key.get_secret_value() == "s3cret"
    assert settings.solve_time_limit == 2.5
    assert "s3cret" not in repr(settings)

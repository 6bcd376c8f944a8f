"""The one settings object: every value comes from the environment (prefix `RONDA_`)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RONDA_", extra="ignore")

    database_url: str = "sqlite:///ronda.db"
    # Signs session cookies. A random key per process is safe but logs everyone out on a
    # restart, so a deployment sets RONDA_SECRET_KEY.
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    solve_time_limit: float = Field(default=10.0, gt=0)
    # Whether each app process also runs a solve worker (a thread): the zero-setup default.
    # Set it to false when `ronda worker` processes do the solving.
    solve_in_app: bool = True
    # How many solves one worker (`ronda worker`, or the app's own) runs at once.
    solve_concurrency: int = Field(default=1, ge=1, le=64)
    # Whether the app brings the database to the newest schema when it starts. Unset: yes on
    # SQLite (zero setup), no on PostgreSQL, where `ronda migrate` is a deployment step and an
    # app on an older schema refuses to start and says so.
    migrate_on_start: bool | None = None

    def migrates_on_start(self) -> bool:
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.database_url.startswith("sqlite")

    # A browser's sign-in ends after this long unused, and after this long in any case.
    session_idle_minutes: int = Field(default=720, ge=1)
    # One JSON line per request on stderr ("json"), or none ("off").
    log_format: Literal["json", "off"] = "json"
    # Python's garbage collector tuned for a server (see app/main.py `tune_gc`); tests that
    # start many apps in one process turn it off.
    tune_gc: bool = True
    session_max_hours: int = Field(default=168, ge=1)
    # With no account yet, start-up creates this one (RONDA_ADMIN_PASSWORD, at least 8 chars).
    admin_username: str = "admin"
    admin_password: SecretStr | None = None
    # Forms are refused when the browser says they come from another site. Behind a proxy that
    # changes the host name, list the public address(es), comma-separated.
    trusted_origins: str = ""
    # The address people reach Ronda at, for the links printed in badges' QR codes and the
    # projector's link (never taken from a request's Host header, which a client chooses).
    public_url: str = "http://127.0.0.1:8000"
    # The most an import may send at once (all its files together), in MB.
    max_upload_mb: float = Field(default=5.0, gt=0, le=1024)
    # On SQLite, how long a write waits for another one to finish before it answers 503.
    sqlite_busy_timeout: float = Field(default=10.0, gt=0, le=600)
    # On PostgreSQL, the connections each worker process keeps open and shares among its
    # requests: workers × this must stay under the server's max_connections (100 by default).
    db_pool_size: int = Field(default=20, ge=1, le=500)

    @field_validator("public_url")
    @classmethod
    def _public(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(
                f"{value!r} is not an address such as https://ronda.example.org "
                "(scheme and host, optional port and path)"
            )
        return value

    @field_validator("trusted_origins")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for origin in (o.strip().rstrip("/") for o in value.split(",") if o.strip()):
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(
                    f"{origin!r} is not an address such as https://ronda.example.org "
                    "(scheme and host, optional port, no path)"
                )
        return value

    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def origins(self) -> set[str]:
        return {o.strip().rstrip("/").lower() for o in self.trusted_origins.split(",") if o.strip()}


class SettingsError(ValueError):
    """A RONDA_ environment variable with a value that cannot be used."""


@lru_cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            f"RONDA_{'_'.join(str(part) for part in error['loc']).upper()}: "
            f"{error['msg'].removeprefix('Value error, ')}"
            for error in exc.errors()
        ]
        raise SettingsError("; ".join(problems)) from None

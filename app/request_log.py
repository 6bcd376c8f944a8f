"""One JSON line per request on the `ronda.access` logger: time, request id, method, path,
status, duration, client. The request id comes from the proxy's `X-Request-ID` when it sends a
sane one (else a new one) and goes back in the answer. Secret links' tokens are masked in the
path and the query string is never logged, so tokens and passwords never reach a log."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("ronda.access")
SECRET_PATH = re.compile(r"^/(a|s|f)/[^/]+")
GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def masked(path: str) -> str:
    """`/a/{token}` (badges), `/s/{token}` (screens), `/f/{token}` (facilitators) without it."""
    return SECRET_PATH.sub(lambda m: f"/{m.group(1)}/…", path)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            return json.dumps(fields, ensure_ascii=False)
        return json.dumps(
            {
                "time": self.formatTime(record),
                "level": record.levelname,
                "message": record.getMessage(),
            }
        )


def configure(log_format: str) -> None:
    """`json`: the access log goes to stderr as JSON lines; `off`: nothing is logged."""
    if log_format != "json":
        logger.setLevel(logging.WARNING)
        return
    if not any(isinstance(h.formatter, JsonLines) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.INFO)


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if GOOD_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), [0]

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            if logger.isEnabledFor(logging.INFO):
                client = scope.get("client")
                fields = {
                    "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "level": "info" if status[0] < 500 else "error",
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": masked(scope["path"]),
                    "status": status[0],
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                    "client": client[0] if client else None,
                }
                logger.info("request", extra={"fields": fields})

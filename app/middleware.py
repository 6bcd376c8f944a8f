"""What every request goes through: its language, the same-site check on changes, a
Server-Timing header, and a limit on the size of its body. Plain ASGI (no BaseHTTPMiddleware), so
that thousands of open live streams pass through it at no cost per message."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import i18n

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        same_origin: Callable[[Request], bool],
        refuse: Callable[[Request], Any],
    ) -> None:
        self.app = app
        self.same_origin = same_origin
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        code = request.cookies.get("ronda_lang") or i18n.negotiate(
            request.headers.get("Accept-Language")
        )
        with i18n.use_language(code):
            # Another site's page must not post forms with the organizer's cookie (cross-site
            # request forgery): browsers name the sending page's site in Origin (or Referer).
            if request.method not in SAFE_METHODS and not self.same_origin(request):
                response: JSONResponse = self.refuse(request)
                await response(scope, receive, send)
                return
            started = time.perf_counter()

            async def timed(message: Message) -> None:
                # How long the server took, for browsers' dev tools and `make bench`.
                if message["type"] == "http.response.start":
                    spent = (time.perf_counter() - started) * 1000
                    headers = list(message.get("headers", []))
                    headers.append((b"server-timing", f"app;dur={spent:.1f}".encode()))
                    message = {**message, "headers": headers}
                await send(message)

            await self.app(scope, receive, timed)


# --- the size of a request's body ---------------------------------------------------------------

BODY_LIMIT = 1024 * 1024  # 1 MB: forms and JSON; a route that takes files raises it
BUDGET_KEY = "ronda.body_limit"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int, *, upload: bool) -> None:
        megabytes = f"{limit / 1024 / 1024:.3g}"
        message = (
            i18n._(
                "The files sent are larger than the {limit} MB allowed at once; send fewer or "
                "smaller files (split a large sheet), or ask the server's administrator to raise "
                "RONDA_MAX_UPLOAD_MB."
            )
            if upload
            else i18n._(
                "This request is larger than the {limit} MB allowed here; send less at once."
            )
        ).format(limit=megabytes)
        super().__init__(status_code=413, detail=message)


class Budget:
    """How many bytes the request's body may hold; shared with the route through the scope."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.upload = False


def allow_upload(scope: Scope, limit: int) -> None:
    """Called by a route that takes files, once the sender is known, before it reads the body."""
    budget = scope.get(BUDGET_KEY)
    if isinstance(budget, Budget):
        budget.limit, budget.upload = limit, True


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """Refuses a body over its route's limit with 413: at once when Content-Length says so, else
    as soon as the bytes streamed pass it. Nothing is checked, nor read, until the route asks for
    the body, which routes that take files do only after signing the sender in: a stranger's
    large upload is answered 401 without being read."""

    def __init__(self, app: ASGIApp, *, limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        budget = Budget(self.limit)
        scope[BUDGET_KEY] = budget
        received = 0
        declared_checked = False

        async def limited() -> Message:
            nonlocal received, declared_checked
            if not declared_checked:
                declared_checked = True
                declared = _declared_length(scope)
                if declared is not None and declared > budget.limit:
                    raise BodyTooLarge(budget.limit, upload=budget.upload)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > budget.limit:
                    raise BodyTooLarge(budget.limit, upload=budget.upload)
            return message

        await self.app(scope, limited, send)

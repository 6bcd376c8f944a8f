"""What every request goes through: its language, the same-site check on changes, and a
Server-Timing header. Plain ASGI (no BaseHTTPMiddleware), so that thousands of open live streams
pass through it at no cost per message."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.responses import JSONResponse
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

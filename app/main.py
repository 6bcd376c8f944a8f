"""The web app: `create_app()` builds it on a database; uvicorn serves `app.main:app`."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import anyio.to_thread
import psycopg
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from . import i18n, request_log
from .attendee_cache import AttendeeCache
from .audit import AuditLog
from .auth import LoginRequired, TooManyAttempts
from .database import check_schema, engine_for, migrate
from .limits import FailureLimit, SignInLimit
from .live import LiveHub
from .middleware import BodyLimit, Guard
from .request_log import RequestLog
from .routes import (
    account,
    api,
    api_live,
    api_notes,
    api_plans,
    attend,
    docs,
    events,
    facilitate,
    harvest_pages,
    home,
    live_pages,
    organizers,
    plans,
    plenary_pages,
    questionnaire_pages,
)
from .routes import auth as auth_routes
from .security import SecurityHeaders
from .services.accounts import Busy, create_account, has_accounts
from .services.errors import Conflict, Forbidden, NotFound, RondaError
from .settings import Settings, get_settings
from .solving import solving_of, stop_worker
from .viewers import ATTENDEE_COOKIE, FACILITATOR_COOKIE, SCREEN_COOKIE
from .web import STATIC_DIR, render


def _first_account(app: FastAPI, settings: Settings) -> None:
    if settings.admin_password is None:
        return
    with Session(app.state.engine) as session:
        if has_accounts(session):
            return
        try:
            create_account(
                session,
                username=settings.admin_username,
                password=settings.admin_password.get_secret_value(),
                is_admin=True,
            )
        except (Conflict, IntegrityError):  # a worker starting at the same moment made it first
            session.rollback()


FULL_COLLECTION_EVERY = 10_000  # gen-1 collections between full ones (Python's default: 10)


def tune_gc() -> None:
    """Keep the garbage collector's full passes rare. With 2,000 phones on their live streams a
    process holds a few hundred thousand objects, and a full pass over them stopped everything
    for 0.2 to 0.8 s on the 2-core benchmark machine, every few seconds under load: the slowest
    pages of `make loadtest` were exactly those. What start-up made lives as long as the process
    and is frozen out of the passes; young objects are still collected as often as by default,
    so short-lived cycles go as soon as before. Memory held by older cyclic garbage waits a
    little longer for its pass."""
    gc.collect()
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrates_on_start():
            migrate(settings.database_url)
        else:
            check_schema(app.state.engine)  # refuses to start, saying what to run
        _first_account(app, settings)
        if settings.tune_gc:
            tune_gc()
        await app.state.live.start()
        if settings.solve_in_app:
            solving_of(app)  # the app's own solve worker starts polling the queue now
        yield
        await anyio.to_thread.run_sync(stop_worker, app)  # its solves save their best plans
        await app.state.live.stop()
        app.state.engine.dispose()

    app = FastAPI(
        title="Ronda",
        summary="Plan and run World Café rotation sessions.",
        lifespan=lifespan,
        docs_url=None,  # served by routes/docs.py from this server's own files
        redoc_url=None,
    )
    app.state.settings = settings
    request_log.configure(settings.log_format)
    app.state.engine = engine_for(settings)
    app.state.live = LiveHub(app.state.engine)
    app.state.attendees = AttendeeCache(app.state.engine)
    app.state.live.listeners.append(app.state.attendees.state_changed)
    app.state.link_failures = FailureLimit()
    app.state.sign_in_limit = SignInLimit()
    app.add_middleware(BodyLimit)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        same_site="lax",
        https_only=settings.public_url.startswith("https://"),  # the Secure flag
    )

    def refuse(request: Request) -> Response:
        message = i18n._(
            "This change was sent from another site ({origin}), so it was refused. Open Ronda "
            "at its own address and send it again; behind a proxy that changes the address, "
            "list the public one in RONDA_TRUSTED_ORIGINS."
        ).format(origin=_sender(request))
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=403)
        return render(request, "error.html", {"message": message}, status_code=403)

    app.add_middleware(
        Guard,
        same_origin=lambda request: _same_origin(request, settings.origins()),
        refuse=refuse,
    )
    app.add_middleware(AuditLog, engine=app.state.engine, changed=app.state.attendees.forget)
    app.add_middleware(SecurityHeaders)  # error pages get the headers too
    app.add_middleware(RequestLog)  # outermost: every answer is logged with its request id

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # The day's hot paths first: a request is matched against the routes in this order, and
    # 2,000 phones and 50 tablets should not walk past every organizer page to find theirs.
    app.include_router(attend.router)
    app.include_router(api_live.router)
    app.include_router(facilitate.router)
    app.include_router(api_notes.router)
    app.include_router(api_live.organizers)
    app.include_router(api_notes.organizers)
    app.include_router(live_pages.router)
    app.include_router(docs.router)
    app.include_router(auth_routes.router)
    app.include_router(account.pages)
    app.include_router(account.api)
    app.include_router(organizers.pages)
    app.include_router(organizers.api)
    app.include_router(home.router)
    app.include_router(events.router)
    app.include_router(plans.router)
    app.include_router(harvest_pages.router)
    app.include_router(api.router)
    app.include_router(api_plans.router)
    app.include_router(questionnaire_pages.router)
    app.include_router(questionnaire_pages.organizer)
    app.include_router(questionnaire_pages.api)
    app.include_router(plenary_pages.router)
    app.include_router(plenary_pages.organizer)
    _error_pages(app)
    return app


def _sender(request: Request) -> str:
    """The site a browser says a request comes from ("" when it says nothing)."""
    origin = request.headers.get("origin", "")
    if origin and origin != "null":
        return origin.rstrip("/").lower()
    parts = urlsplit(request.headers.get("referer", ""))
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else origin


SESSION_COOKIE = "ronda_session"
CREDENTIAL_COOKIES = (SESSION_COOKIE, FACILITATOR_COOKIE, ATTENDEE_COOKIE, SCREEN_COOKIE)


def _cookie_credentials(request: Request) -> bool:
    """Whether the request would be signed in by a cookie rather than by its own header."""
    if request.headers.get("authorization"):
        return False
    return any(request.cookies.get(name) for name in CREDENTIAL_COOKIES)


def _without_default_port(netloc: str) -> str:
    for port in (":80", ":443"):
        if netloc.endswith(port):
            return netloc[: -len(port)]
    return netloc


def _same_origin(request: Request, trusted: set[str]) -> bool:
    """Whether the request comes from this server's own pages (or names no site at all, as
    scripts and command-line clients do). Browsers that say where a request comes from
    (Sec-Fetch-Site) are believed; for others, Origin or Referer is held against Host."""
    sender = _sender(request)
    fetch_site = request.headers.get("sec-fetch-site", "").lower()
    if fetch_site in ("same-origin", "none"):
        return True
    if fetch_site:  # same-site or cross-site: only the trusted addresses
        return sender in trusted
    if not sender:
        # Scripts name no site and sign in with HTTP Basic or an API token; a request that
        # names no site yet carries a sign-in cookie is not a page of ours (ASVS 5.0 V3.5.1).
        return request.url.path == "/login" or not _cookie_credentials(request)
    host = _without_default_port(request.headers.get("host", "").lower())
    return _without_default_port(urlsplit(sender).netloc) == host or sender in trusted


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


RETRY_AFTER = 2  # seconds


def _transient(exc: Exception) -> bool:
    """Whether a database error will likely pass by itself: a lock or a lost connection."""
    if isinstance(exc, SQLAlchemyTimeoutError):
        return True  # no connection free in the pool
    if not isinstance(exc, OperationalError):
        return False
    if exc.connection_invalidated or isinstance(exc.orig, psycopg.OperationalError):
        return True  # PostgreSQL: cannot connect, connection lost, shutting down, too many
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": i18n._("sign in first (session cookie, API token or HTTP Basic)")},
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="Ronda"'},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("HX-Request") == "true":
            return Response(status_code=204, headers={"HX-Redirect": f"/login?next={target}"})
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Pages a person reaches get the app's own page, never raw JSON.
        if _wants_json(request) or exc.status_code not in (404, 405, 410, 413):
            return await http_exception_handler(request, exc)
        message = (
            i18n._("There is no page at this address; check it, or start from the list of events.")
            if exc.status_code == 404
            else str(exc.detail)
        )
        return render(request, "error.html", {"message": message}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        parts = ", ".join(str(e["loc"][-1]) for e in exc.errors() if e.get("loc"))
        message = i18n._(
            "This address has a value that cannot be used ({parts}); check it, or start from "
            "the list of events."
        ).format(parts=parts)
        return render(request, "error.html", {"message": message}, status_code=422)

    @app.exception_handler(OperationalError)
    @app.exception_handler(SQLAlchemyTimeoutError)
    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # A write that waited out SQLite's busy timeout, a PostgreSQL server restarting or out
        # of connections, a full pool: nothing was saved, and the same request will do later.
        if not _transient(exc):
            raise exc
        message = i18n._(
            "The database is busy or out of reach, so nothing was saved; try again in a few "
            "seconds."
        )
        headers = {"Retry-After": str(RETRY_AFTER)}
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=503, headers=headers)
        response = render(request, "error.html", {"message": message}, status_code=503)
        response.headers.update(headers)
        return response

    @app.exception_handler(RondaError)
    async def domain_error(request: Request, exc: RondaError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 409 if isinstance(exc, Conflict) else 400
        status = 403 if isinstance(exc, Forbidden) else status
        headers = {}
        if isinstance(exc, Busy):
            status, headers = 503, {"Retry-After": "5"}
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
        reply = render(request, "error.html", {"message": str(exc)}, status_code=status)
        reply.headers.update(headers)
        return reply

    @app.exception_handler(TooManyAttempts)
    async def too_many(request: Request, exc: TooManyAttempts) -> Response:
        message = auth_routes.wait_message(exc.seconds)
        headers = {"Retry-After": str(exc.seconds)}
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=429, headers=headers)
        reply = render(request, "error.html", {"message": message}, status_code=429)
        reply.headers.update(headers)
        return reply


app = create_app()

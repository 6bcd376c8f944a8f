"""`ronda`: the scheduler's commands and the organizer's events.

`ronda solve/score/bounds` are scheduler.cli's own commands, mounted unchanged. `ronda event ...`
works on the database at RONDA_DATABASE_URL, which each event command first brings up to the
newest schema (a no-op when it is already there). Errors are one line on stderr and an exit
code: 1 for the database, 2 for input to fix, 3 when the event's hard rules cannot all hold.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from scheduler import Infeasible
from scheduler.cli import app as scheduler_app

from .database import engine_for, migrate
from .i18n import _
from .models import EventUpdate
from .services import events, exporting, instances
from .services.accounts import create_account, get_account, has_accounts, set_disabled
from .services.errors import RondaError
from .services.importing import import_folder
from .settings import Settings, SettingsError
from .settings import get_settings as _get_settings

app = typer.Typer(add_completion=False, help=scheduler_app.info.help, no_args_is_help=True)
app.registered_commands.extend(scheduler_app.registered_commands)
event_app = typer.Typer(
    add_completion=False,
    help="Events in the organizer database (RONDA_DATABASE_URL).",
    no_args_is_help=True,
)
app.add_typer(event_app, name="event")

EventName = Annotated[str, typer.Argument(help="The event's name.")]


class ExportFormat(StrEnum):
    instance = "instance"
    plan = "plan"
    csv = "csv"
    xlsx = "xlsx"


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def get_settings() -> Settings:
    """The settings, or one line naming the variable to fix and exit code 2."""
    try:
        return _get_settings()
    except SettingsError as exc:
        _fail(str(exc), 2)


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the migrated database; domain and database errors end the command."""
    settings = get_settings()
    url = settings.database_url
    try:
        migrate(url)
        engine = engine_for(settings)
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()
    except RondaError as exc:
        code = 3 if isinstance(exc.__cause__, Infeasible) else 2
        _fail(_("error: {problem}").format(problem=exc), code)
    except SQLAlchemyError as exc:
        _database_failed(url, exc)


def _database_failed(url: str, exc: SQLAlchemyError) -> NoReturn:
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    _fail(_("error: cannot use the database {url}: {reason}").format(url=shown, reason=reason), 1)


@event_app.command("import")
def import_cmd(
    folder: Annotated[
        Path, typer.Argument(help="Folder of CSV/XLSX files shaped like examples/lima-2022.")
    ],
    name: Annotated[str, typer.Option("--name", help="The event's name.")],
    rounds: Annotated[
        int | None, typer.Option("--rounds", help="Number of rounds (needed for a new event).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The event's date, e.g. 2022-11-23.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="When round 1 begins, e.g. 09:30.")
    ] = None,
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="Where it takes place, e.g. America/Lima.")
    ] = None,
) -> None:
    """Import (or re-import) an event's participants, subjects, tables, needs and offers."""
    timing = {
        key: value
        for key, value in (("date", date), ("start_time", start), ("time_zone", time_zone))
        if value is not None
    }
    try:
        when = EventUpdate.model_validate(timing)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{str(e['loc'][0]).replace('start_time', 'start').replace('_', '-')}: "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        _fail(_("error: {problems}").format(problems=problems), 2)
    with _session() as session:
        report = import_folder(session, folder=folder, event_name=name, rounds=rounds)
        if timing:
            events.update_event(session, event=events.get_event(session, name=name), data=when)
    typer.echo(_("imported into {event!r}:").format(event=report.event))
    for line in report.lines():
        typer.echo(f"  {line}")


@event_app.command("plan")
def plan_cmd(
    name: EventName,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds the search may take (RONDA_SOLVE_TIME_LIMIT)."),
    ] = None,
) -> None:
    """Plan the event's rotation and save it as the event's current plan."""
    limit = time_limit if time_limit is not None else get_settings().solve_time_limit
    with _session() as session:
        event = events.get_event(session, name=name)
        saved = instances.plan_event(session, event=event, time_limit=limit)
        metrics = instances.plan_of(saved).metrics
    typer.echo(_("saved a plan for {event!r}: {status}").format(event=name, status=saved.status))
    typer.echo(
        _("repeated encounters: {repeats} (lower bound {bound})").format(
            repeats=metrics["repeats"], bound=metrics["repeats_lower_bound"]
        )
    )
    if metrics.get("subject_visits_full"):
        typer.echo(
            _("subject visits: {visits} of {full}").format(
                visits=metrics["subject_visits"], full=metrics["subject_visits_full"]
            )
        )
    if metrics.get("needs_total"):
        typer.echo(
            _("needs served: {served} of {total}").format(
                served=metrics["needs_served"], total=metrics["needs_total"]
            )
        )


@event_app.command("export")
def export_cmd(
    name: EventName,
    format: Annotated[
        ExportFormat,
        typer.Option("--format", help="instance or plan (JSON), csv, or xlsx (needs --output)."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", help="Write here instead of to stdout.")
    ] = None,
) -> None:
    """Export the event (instance JSON) or its current plan (plan JSON, CSV, XLSX)."""
    if format is ExportFormat.xlsx and output is None:
        _fail(_("error: an XLSX workbook cannot go to the terminal; add --output FILE.xlsx"), 2)
    with _session() as session:
        event = events.get_event(session, name=name)
        if format is ExportFormat.xlsx:
            content: str | bytes = exporting.plan_xlsx(session, event=event)
        elif format is ExportFormat.csv:
            content = exporting.plan_csv(session, event=event)
        elif format is ExportFormat.plan:
            content = exporting.plan_json(session, event=event)
        else:
            content = exporting.instance_json(session, event=event)
    try:
        if output is None:
            sys.stdout.write(str(content))
        elif isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
    except OSError as exc:
        _fail(_("error: cannot write {path}: {reason}").format(path=output, reason=exc.strerror), 1)


@event_app.command("list")
def list_cmd() -> None:
    """List the events: rounds, participants, and the status of the current plan."""
    with _session() as session:
        rows = []
        for event in events.list_events(session):
            people = events.list_participants(session, event=event)
            try:
                status = instances.current_plan(session, event=event).status
            except RondaError:
                status = _("not planned")
            attending = sum(p.active for p in people)
            rows.append(
                _(
                    "{name}: {rounds} rounds, {people} participants ({attending} attending), "
                    "plan: {status}"
                ).format(
                    name=event.name,
                    rounds=event.rounds,
                    people=len(people),
                    attending=attending,
                    status=status,
                )
            )
    if not rows:
        typer.echo(
            _("no events yet; import one with: ronda event import DIR --name NAME --rounds R")
        )
    for row in rows:
        typer.echo(row)


DEMO = Path(__file__).resolve().parent.parent / "examples" / "lima-2022"


def _load_demo(session: Session) -> None:
    """The Lima 2022 event, imported from examples/ unless it is there already."""
    name = "Lima 2022"
    if any(event.name == name for event in events.list_events(session)):
        return
    import_folder(session, folder=DEMO, event_name=name, rounds=5)
    event = events.get_event(session, name=name)
    # As the meeting was held (examples/lima-2022/README.md): Lima, from 4 October 2022.
    when = EventUpdate(date=dt.date(2022, 10, 4), venue="Lima, Peru", time_zone="America/Lima")
    events.update_event(session, event=event, data=when)
    typer.echo(_("loaded the demo event {name!r}").format(name=name))


def _ensure_account(session: Session) -> None:
    """The first start gets an organizer account; its password is printed once if generated."""
    if has_accounts(session):
        return
    settings = get_settings()
    if settings.admin_password is not None:
        password = settings.admin_password.get_secret_value()
        shown = _("(the password in RONDA_ADMIN_PASSWORD)")
    else:
        password = shown = secrets.token_urlsafe(9)
    create_account(session, username=settings.admin_username, password=password, is_admin=True)
    typer.echo(
        _("created the organizer account {user!r}, password {password}").format(
            user=settings.admin_username, password=shown
        )
    )


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Load the Lima 2022 demo event.")] = False,
) -> None:
    """Serve the web app (migrating the database first)."""
    import uvicorn

    settings = get_settings()  # a bad setting is one line here, not a traceback on import
    from .main import create_app

    with _session() as session:
        if demo:
            _load_demo(session)
        _ensure_account(session)
    if not os.environ.get("RONDA_PUBLIC_URL"):  # badges' and links' addresses follow the port
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        settings = settings.model_copy(update={"public_url": f"http://{shown}:{port}"})
    typer.echo(_("Ronda is at http://{host}:{port}/").format(host=host, port=port))
    # Live pages hold streams open: on shutdown they get 5 s to go, then are closed (they
    # reconnect to the next server by themselves).
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # each request is one JSON line of app.request_log instead
        timeout_graceful_shutdown=5,
    )


@app.command("migrate")
def migrate_cmd() -> None:
    """Bring the database at RONDA_DATABASE_URL to the newest schema (a deployment step on
    PostgreSQL; safe to run again, and from several hosts at once)."""
    with _session():
        pass
    typer.echo(_("the database is at the newest schema"))


@app.command("worker")
def worker_cmd(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Solves at once (default RONDA_SOLVE_CONCURRENCY)."),
    ] = None,
) -> None:
    """Run plan solves from the queue until SIGTERM or Ctrl-C, which stop the running solves
    and save their best plans before the worker exits."""
    import signal
    import threading

    from .database import NotMigrated, check_schema
    from .solving import Worker

    settings = get_settings()
    engine = engine_for(settings)
    try:
        check_schema(engine)
    except NotMigrated as exc:
        _fail(str(exc), 1)
    except SQLAlchemyError as exc:
        _database_failed(settings.database_url, exc)
    worker = Worker(engine, concurrency=concurrency or settings.solve_concurrency)
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        typer.echo(_("stopping: the running solves save their best plans"), err=True)
        stopping.set()
        threading.Thread(target=worker.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    typer.echo(
        _("solve worker {name} waiting for plans to make ({n} at once)").format(
            name=worker.name, n=worker.concurrency
        ),
        err=True,
    )
    worker.run()  # returns once shut down
    worker.shutdown()  # waits for the solves' saves
    engine.dispose()


admin_app = typer.Typer(add_completion=False, help="Organizer accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("create")
def admin_create_cmd(
    username: Annotated[str, typer.Option("--username", help="The new account's name.")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="At least 8 characters (asked for when not given).",
        ),
    ],
    admin: Annotated[bool, typer.Option("--admin", help="May manage the other accounts.")] = False,
) -> None:
    """Create an organizer account."""
    with _session() as session:
        create_account(session, username=username, password=password, is_admin=admin)
    typer.echo(_("created the organizer account {user!r}").format(user=username))


@admin_app.command("disable")
def admin_disable_cmd(
    username: Annotated[str, typer.Option("--username", help="The account to disable.")],
) -> None:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working."""
    with _session() as session:
        set_disabled(session, account=get_account(session, username=username), disabled=True)
    typer.echo(_("disabled the account {user!r}").format(user=username))


@admin_app.command("enable")
def admin_enable_cmd(
    username: Annotated[str, typer.Option("--username", help="The account to enable.")],
) -> None:
    """Enable a disabled account again."""
    with _session() as session:
        set_disabled(session, account=get_account(session, username=username), disabled=False)
    typer.echo(_("enabled the account {user!r}").format(user=username))


if __name__ == "__main__":  # pragma: no cover
    app()

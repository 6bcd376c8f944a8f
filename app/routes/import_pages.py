"""The import page: upload spreadsheets into the event, and download their templates."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ..deps import AccountDep, SessionDep
from ..i18n import _
from ..models import Account, Event
from ..services.columns import FILE_NAMES, KINDS, TEMPLATES
from ..services.errors import ImportRejected, NotFound, RondaError, RowProblem
from ..services.importing import TEMPLATE_DIR
from ..services.readiness import summarize
from ..services.uploads import import_uploads
from .common import EventDep, UploadFormDep, flash, page
from .forms import read_uploads, sentence

router = APIRouter()


def _show(
    request: Request,
    account: Account,
    event: Event,
    *,
    problems: list[RowProblem] | None = None,
    error: str | None = None,
) -> Response:
    return page(
        request,
        "events/import.html",
        account=account,
        event=event,
        section="import",
        status_code=422 if problems or error else 200,
        kinds=KINDS,
        file_names=FILE_NAMES,
        columns={kind: ", ".join(TEMPLATES[kind][0]) for kind in KINDS},
        problems=problems or [],
        error=error,
    )


@router.get("/events/{event_id}/import")
def import_page(request: Request, account: AccountDep, event: EventDep) -> Response:
    return _show(request, account, event)


@router.post("/events/{event_id}/import")
def import_files(
    request: Request,
    session: SessionDep,
    account: AccountDep,
    event: EventDep,
    form: UploadFormDep,
) -> Response:
    try:
        uploads = read_uploads(form.multi_items())
        report = import_uploads(session, event=event, uploads=uploads)
    except ImportRejected as exc:
        return _show(request, account, event, problems=exc.problems)
    except RondaError as exc:
        return _show(request, account, event, error=sentence(str(exc)))
    summary = summarize(session, event=event)
    lines = report.lines() or [_("The files held no rows: nothing changed.")]
    lines.append(
        _(
            "The event now has {people} participants ({attending} attending) and {tables} tables."
        ).format(people=summary.participants, attending=summary.attending, tables=summary.tables)
    )
    for line in lines:
        flash(request, line)
    return RedirectResponse(f"/events/{event.id}/import", status_code=303)


def _template(kind: str) -> Response:
    if kind not in KINDS:
        raise NotFound(
            _("there is no {kind!r} template; the templates are {kinds}").format(
                kind=kind, kinds=", ".join(KINDS)
            )
        )
    return Response(
        (TEMPLATE_DIR / f"{kind}.csv").read_bytes(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )


@router.get("/events/{event_id}/import/templates/{kind}.csv")
def event_template(kind: str, event: EventDep) -> Response:
    return _template(kind)


@router.get("/import-templates/{kind}.csv")
def template(kind: str) -> Response:
    return _template(kind)

"""The JSON API for imports: the same files, rules and report as the import page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse, Response

from ..deps import SessionDep
from ..services.errors import ImportRejected
from ..services.uploads import import_uploads
from .api_models import ERRORS, ImportProblemPublic, ImportRejectedPublic, ImportReportPublic
from .common import EventDep
from .forms import read_uploads

router = APIRouter(prefix="/events/{event_id}", responses=ERRORS, tags=["import"])
FileField = Annotated[UploadFile | None, File()]


@router.post(
    "/import",
    response_model=ImportReportPublic,
    responses={422: {"model": ImportRejectedPublic, "description": "Rejected rows"}},
)
def import_files(
    session: SessionDep,
    event: EventDep,
    participants: FileField = None,
    subjects: FileField = None,
    tables: FileField = None,
    needs_offers: FileField = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Import spreadsheets (CSV or XLSX) into the event, all or nothing.

    Send each file in the field of its kind, or in `files` named after its kind
    (`countries.csv`, `subjects.xlsx`, ...). A rejected import answers 422 with every
    problem (file, line, message) and saves nothing.
    """
    sent = [
        ("participants", participants),
        ("subjects", subjects),
        ("tables", tables),
        ("needs_offers", needs_offers),
        *(("files", upload) for upload in files or []),
    ]
    try:
        report = import_uploads(session, event=event, uploads=read_uploads(sent))
    except ImportRejected as exc:
        body = ImportRejectedPublic(
            detail=str(exc).splitlines()[0],
            problems=[ImportProblemPublic(**asdict(p)) for p in exc.problems],
        )
        return JSONResponse(body.model_dump(), status_code=422)
    data = ImportReportPublic(
        event=report.event,
        added=dict(report.added),
        updated=dict(report.updated),
        lines=report.lines(),
    )
    return JSONResponse(data.model_dump())

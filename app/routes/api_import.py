"""The JSON API for imports: the same files, rules and report as the import page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from ..deps import SessionDep
from ..services.errors import ImportRejected
from ..services.uploads import import_uploads
from .api_models import (
    ERRORS,
    ImportProblemPublic,
    ImportRejectedPublic,
    ImportReportPublic,
    InvalidRequest,
)
from .common import EventDep, UploadFormDep
from .forms import read_uploads

router = APIRouter(prefix="/events/{event_id}", responses=ERRORS, tags=["import"])

FILE = {"type": "string", "format": "binary"}
# The files are read by a dependency, after the sender is signed in (FastAPI reads body
# parameters before any dependency), so the form is described here instead of by parameters.
MULTIPART: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "participants": FILE,
                        "subjects": FILE,
                        "tables": FILE,
                        "needs_offers": FILE,
                        "files": {"type": "array", "items": FILE},
                    },
                }
            }
        },
    }
}


@router.post(
    "/import",
    response_model=ImportReportPublic,
    responses={
        413: {"description": "The files are larger than RONDA_MAX_UPLOAD_MB"},
        422: {
            "model": ImportRejectedPublic | InvalidRequest,
            "description": "Rejected rows, or a request that does not fit the schema",
        },
    },
    openapi_extra=MULTIPART,
)
def import_files(session: SessionDep, event: EventDep, form: UploadFormDep) -> Response:
    """Import spreadsheets (CSV or XLSX) into the event, all or nothing.

    Send each file in the field of its kind, or in `files` named after its kind
    (`countries.csv`, `subjects.xlsx`, ...). A rejected import answers 422 with every
    problem (file, line, message) and saves nothing.
    """
    try:
        report = import_uploads(session, event=event, uploads=read_uploads(form.multi_items()))
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

"""Import uploaded files into an event: one or several kinds at once, all or nothing.

The same rules as `import_folder`, for files that arrive over the web instead of from a folder:
each file says its kind (the form field it came in) or its name does (`countries.csv`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from sqlmodel import Session

from ..i18n import _, join_and
from ..models import Event, utcnow
from .columns import EXTENSIONS, FILE_NAMES, KINDS, Kind, normalize
from .errors import InvalidInput, RowProblem
from .import_run import ImportReport, Run
from .importing import _all_or_nothing, _import


@dataclass(frozen=True)
class Upload:
    kind: Kind
    file: str  # the name the organizer's computer gave it, for messages
    data: bytes


def kind_of(file_name: str) -> Kind | None:
    """The kind a file's name says (`countries.csv` holds participants), if any."""
    path = PurePath(file_name)
    if path.suffix.lower() not in EXTENSIONS:
        return None
    stem = normalize(path.stem)
    return next((kind for kind in KINDS if stem in FILE_NAMES[kind]), None)


def unknown_kind(file_name: str) -> InvalidInput:
    names = ", ".join(f"{names[0]}.csv" for names in FILE_NAMES.values())
    return InvalidInput(
        _(
            "cannot tell what {file!r} holds; name it {names} (or .xlsx), or choose it in the "
            "field for its kind"
        ).format(file=file_name, names=names)
    )


def _one_per_kind(uploads: list[Upload]) -> dict[Kind, Upload]:
    if not uploads:
        raise InvalidInput(_("no file was chosen; choose at least one file to import"))
    by_kind: dict[Kind, Upload] = {}
    for upload in uploads:
        if upload.kind in by_kind:
            raise InvalidInput(
                _("{first!r} and {second!r} are both {kind} files; import one of them").format(
                    first=by_kind[upload.kind].file, second=upload.file, kind=upload.kind
                )
            )
        by_kind[upload.kind] = upload
    return by_kind


def import_uploads(session: Session, *, event: Event, uploads: list[Upload]) -> ImportReport:
    """Import the files into the event in one transaction; ImportRejected lists every problem."""
    by_kind = _one_per_kind(uploads)
    report = ImportReport(event=event.name)
    with _all_or_nothing(session) as problems:
        run = Run(session, event, report, problems)
        unreadable: list[str] = []
        for kind in KINDS:  # participants and subjects first: needs and offers refer to them
            upload = by_kind.get(kind)
            if upload is None:
                continue
            if kind == "needs_offers" and unreadable:
                message = _("not checked, since {files} could not be read; fix that first")
                problems.append(
                    RowProblem(upload.file, None, message.format(files=join_and(unreadable)))
                )
                continue
            readable = _import(run, kind, upload.data, upload.file)
            if not readable and kind in ("participants", "subjects"):
                unreadable.append(upload.file)
        event.updated_at = utcnow()
        session.add(event)
    return report

"""Import uploaded files into an event: one or several kinds at once, all or nothing.

The same rules as `import_folder`, for files that arrive over the web instead of from a folder:
each file says its kind (the form field it came in), or its name does (`countries.csv`), or its
header row does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from sqlmodel import Session

from ..i18n import _, join_and
from ..models import Event, utcnow
from .columns import COLUMNS, EXTENSIONS, FILE_NAMES, KINDS, Kind, knows, normalize
from .errors import ImportRejected, InvalidInput, RowProblem
from .import_run import ImportReport, Run
from .importing import _all_or_nothing, _import
from .tabular import read_sheet


@dataclass(frozen=True)
class Upload:
    kind: Kind
    file: str  # the name the organizer's computer gave it, for messages
    data: bytes


def kind_of(file_name: str, data: bytes | None = None) -> Kind | None:
    """The kind a file holds: as its name says (`countries.csv`, `participants (1).csv`,
    `big_participants.xlsx`), else as its header row says (`data`: the file's bytes)."""
    path = PurePath(file_name)
    if path.suffix.lower() not in EXTENSIONS:
        return None
    stem = f"_{normalize(path.stem)}_"
    named = {kind for kind in KINDS if any(f"_{name}_" in stem for name in FILE_NAMES[kind])}
    if len(named) == 1:
        return named.pop()
    return _kind_by_header(file_name, data) if data is not None else None


def _kind_by_header(file_name: str, data: bytes) -> Kind | None:
    """The kind whose required columns the header row has, naming the most of its columns
    (a subjects file's `number, name` is not a participants file, though it has a name)."""
    every = set().union(*(knows(kind) for kind in KINDS))
    try:
        header = [
            normalize(cell)
            for cell in read_sheet(
                data, file=file_name, known=lambda h: normalize(h) in every
            ).header
        ]
    except ImportRejected:
        return None
    scores: list[tuple[int, Kind]] = []
    for kind in KINDS:
        columns = COLUMNS[kind]
        present = [c for c in columns if any(h in header for h in c.headers)]
        if all(c in present for c in columns if c.required):
            scores.append((len(present), kind))
    scores.sort(reverse=True)
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None  # nothing fits, or two kinds fit as well: the organizer chooses
    return scores[0][1]


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

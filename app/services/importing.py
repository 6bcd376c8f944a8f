"""Import an event's spreadsheets: participants, subjects, tables, needs and offers.

All or nothing: an import runs in one transaction, and any rejected row (reported with its
file, line and reason, every one of them, not just the first) rolls everything back, so the
organizer fixes the files and imports again instead of untangling half an import. Valid rows
are written as the import goes, so that needs and offers are checked against the participants
and subjects of the same import. Re-importing updates what it matches (participants by code,
else by name; subjects by number; tables and topics by name) and keeps what the files omit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session

from ..i18n import _, join_and
from ..models import Event, EventCreate, SubjectMode, utcnow
from .columns import EXTENSIONS, FILE_NAMES, KINDS, TEMPLATES, Kind, knows, normalize, resolve
from .columns import values as row_values
from .errors import ImportRejected, InvalidInput, NotFound, RowProblem
from .events import get_event
from .import_rows import APPLIERS
from .import_run import ImportReport, Run
from .tabular import read_sheet

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "import_templates"


@contextmanager
def _all_or_nothing(session: Session) -> Iterator[list[RowProblem]]:
    problems: list[RowProblem] = []
    try:
        yield problems
        if problems:
            raise ImportRejected(problems)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _import(run: Run, kind: Kind, data: bytes, file: str) -> bool:
    """Apply the file's valid rows; False when the file as a whole could not be read."""
    headers = knows(kind)
    try:
        sheet = read_sheet(data, file=file, known=lambda cell: normalize(cell) in headers)
        found = resolve(sheet, kind)
    except ImportRejected as exc:
        run.problems.extend(exc.problems)
        return False
    APPLIERS[kind](run, file, row_values(sheet, found))
    return True


def import_file(
    session: Session, *, event: Event, kind: Kind, data: bytes, file: str
) -> ImportReport:
    """Import one file of the given kind into the event; `file` names it in messages."""
    report = ImportReport(event=event.name)
    with _all_or_nothing(session) as problems:
        _import(Run(session, event, report, problems), kind, data, file)
        event.updated_at = utcnow()
        session.add(event)
    return report


def folder_files(folder: Path) -> dict[Kind, Path]:
    """The import files in a folder shaped like examples/lima-2022, by kind."""
    if not folder.is_dir():
        raise InvalidInput(
            _("{folder} is not a folder; give the folder that holds the CSV files").format(
                folder=folder
            )
        )
    found: dict[Kind, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        stem, suffix = normalize(path.stem), path.suffix.lower()
        for kind in KINDS:
            if suffix in EXTENSIONS and stem in FILE_NAMES[kind]:
                found.setdefault(kind, []).append(path)
    for kind, paths in found.items():
        if len(paths) > 1:
            raise InvalidInput(
                _("{folder} has {count} {kind} files ({names}); keep one").format(
                    folder=folder,
                    count=len(paths),
                    kind=kind,
                    names=", ".join(p.name for p in paths),
                )
            )
    if "participants" not in found:
        raise InvalidInput(
            _(
                "{folder} has no participants file; add participants.csv or countries.csv "
                "(see the templates in app/import_templates/)"
            ).format(folder=folder)
        )
    return {kind: paths[0] for kind, paths in found.items()}


def _event_for(session: Session, name: str, rounds: int | None, subjects: bool) -> Event:
    try:
        event: Event | None = get_event(session, name=name)
    except NotFound:
        event = None
    if event is None and rounds is None:
        raise InvalidInput(_("event {name!r} is new: say how many rounds it has").format(name=name))
    try:
        if event is None:
            mode: SubjectMode = "rotating" if subjects else "none"
            data = EventCreate(name=name, rounds=rounds or 1, subject_mode=mode)
            event = Event.model_validate(data)
        elif rounds is not None:
            EventCreate(name=name, rounds=rounds)
            event.rounds = rounds
    except ValidationError as exc:
        raise InvalidInput(
            _("invalid event: {problem}").format(problem=exc.errors()[0]["msg"])
        ) from exc
    event.updated_at = utcnow()
    session.add(event)
    session.flush()
    return event


def import_folder(
    session: Session, *, folder: Path, event_name: str, rounds: int | None = None
) -> ImportReport:
    """Import every file of the folder into the event (created if new) in one transaction."""
    files = folder_files(folder)
    with _all_or_nothing(session) as problems:
        event = _event_for(session, event_name, rounds, "subjects" in files)
        report = ImportReport(event=event.name)
        run = Run(session, event, report, problems)
        unreadable: list[str] = []
        for kind in KINDS:  # participants and subjects first: needs and offers refer to them
            if kind not in files:
                continue
            if kind == "needs_offers" and unreadable:
                # Checking it against half the data would only report names that do exist.
                message = _("not checked, since {files} could not be read; fix that first")
                problems.append(
                    RowProblem(files[kind].name, None, message.format(files=join_and(unreadable)))
                )
                continue
            readable = _import(run, kind, files[kind].read_bytes(), files[kind].name)
            if not readable and kind in ("participants", "subjects"):
                unreadable.append(files[kind].name)
    return report


def templates_for_import() -> dict[Kind, list[list[str]]]:
    """For each kind of file: its header and one example row."""
    return {kind: [list(header), list(example)] for kind, (header, example) in TEMPLATES.items()}


def template_csv(kind: Kind) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(templates_for_import()[kind])
    return out.getvalue()


def write_templates(folder: Path = TEMPLATE_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = folder / f"{kind}.csv"
        path.write_text(template_csv(kind), encoding="utf-8")
        paths.append(path)
    return paths

"""Reading an HTML form: the typed values kept as typed, each problem next to its field.

A form is checked by the same model the API uses (`EventCreate`, `ParticipantCreate`, ...);
pydantic's messages are for programmers, so each kind of problem gets the organizer's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from ..services.columns import KINDS, Kind
from ..services.tabular import MAX_BYTES
from ..services.uploads import Upload, kind_of, unknown_kind
from ..services.validation_words import problem

Model = TypeVar("Model", bound=BaseModel)
Errors = dict[str, str]  # field name -> what to fix; "form" for the form as a whole


def text_values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The form's text fields, trimmed; a missing field is empty."""
    return {name: str(form.get(name) or "").strip() for name in names}


def checked(form: FormData, name: str) -> bool:
    return form.get(name) not in (None, "", "no", "off", "false")


def chosen(form: FormData, name: str) -> list[str]:
    """The values of a group of checkboxes (or a multiple select), in the order sent."""
    return [str(value) for value in form.getlist(name) if str(value).strip()]


def numbers(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


def validate(model: type[Model], values: dict[str, Any]) -> tuple[Model | None, Errors]:
    """The model built from the form's values, or the problems (one per field)."""
    try:
        return model.model_validate(values), {}
    except ValidationError as exc:
        errors: Errors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, problem(error, values.get(field)))
        return None, errors


def sentence(message: str) -> str:
    """A service message ("table 'T1' ...") as a sentence on a page."""
    return message[:1].upper() + message[1:] if message else message


def read_uploads(fields: Iterable[tuple[str, Any]]) -> list[Upload]:
    """Files sent in a field named after their kind, or in `files` (their names or their header
    rows say the kind)."""
    uploads = []
    for field, value in fields:
        if not isinstance(value, UploadFile) or not value.filename:
            continue  # a file input left empty
        # One byte over the limit is enough for the reader to say the file is too large.
        data = value.file.read(MAX_BYTES + 1)
        kind: Kind | None = field if field in KINDS else kind_of(value.filename, data)
        if kind is None:
            raise unknown_kind(value.filename)
        uploads.append(Upload(kind=kind, file=value.filename, data=data))
    return uploads

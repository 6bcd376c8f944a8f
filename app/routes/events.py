"""Pages for events (filled in by the events work)."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import OrganizerOnly

router = APIRouter(dependencies=OrganizerOnly)

"""Pages for plans (filled in by the plans work)."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import OrganizerOnly

router = APIRouter(dependencies=OrganizerOnly)

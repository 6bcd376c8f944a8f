"""The JSON API under /api: everything the pages do (OpenAPI at /docs)."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import OrganizerOnly

router = APIRouter(prefix="/api", dependencies=OrganizerOnly)

"""The JSON API under /api: everything the pages do (OpenAPI at /docs).

Sign in with the session cookie of the pages, or send HTTP Basic credentials. Domain errors
answer `{"detail": "..."}` with 400 (input to fix), 404 (not found) or 409 (a clash).
"""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import OrganizerOnly
from . import api_events, api_import, api_people, api_rules, api_setup

router = APIRouter(prefix="/api", dependencies=OrganizerOnly)
for _part in (api_events, api_people, api_setup, api_rules, api_import):
    router.include_router(_part.router)

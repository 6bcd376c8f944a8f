"""Secret links as people receive them: on `RONDA_PUBLIC_URL`, never on the request's Host."""

from __future__ import annotations

from fastapi import Request

from ..models import Event, Participant
from .api_models import ParticipantPublic


def public_url(request: Request) -> str:
    return str(request.app.state.settings.public_url)


def attendee_url(request: Request, person: Participant) -> str:
    return f"{public_url(request)}/a/{person.token}"


def screen_url(request: Request, event: Event) -> str:
    return f"{public_url(request)}/s/{event.screen_token}"


def participant_out(request: Request, person: Participant) -> ParticipantPublic:
    return ParticipantPublic(
        **person.model_dump(exclude={"token"}), attendee_url=attendee_url(request, person)
    )

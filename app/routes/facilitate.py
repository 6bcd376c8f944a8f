"""The facilitator's tablet: `/f/{token}` (the card's QR code) signs the device in, `/facilitate`
is the page, and `/facilitate-sw.js` the service worker that keeps it working offline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..auth import client_address
from ..deps import SessionDep
from ..i18n import _
from ..live import now_iso
from ..services import facilitation, live
from ..viewers import FACILITATOR_COOKIE, facilitator
from ..web import STATIC_DIR, render
from .attend import _notice, exchange, failures

router = APIRouter(include_in_schema=False)


@router.get("/f/{token}")
def card_link(request: Request, session: SessionDep, token: str) -> Response:
    if failures(request).blocked(client_address(request)):
        return _notice(request, "slow_down", 429)
    host = facilitation.by_token(session, token=token)
    return exchange(request, host, FACILITATOR_COOKIE, token, "/facilitate")


@router.get("/facilitate")
def facilitate(request: Request, session: SessionDep) -> Response:
    """Now: my table, who sits here, the prompts, the notes (kept on the device first)."""
    host = facilitator(request, session)
    if host is None:
        return _notice(request, "signed_out_facilitator", 401)
    view = facilitation.facilitator_view(session, facilitator=host)
    response = render(
        request,
        "live/facilitate.html",
        {
            "view": view,
            "state_json": live.as_json(view.state, rounds=view.event.rounds),
            "server_time": now_iso(),
            "rounds_json": {
                r.round: {
                    "table": r.cell.table,
                    "people": [{"code": p.code, "name": p.name} for p in r.people],
                    "topics": [p.topic for p in r.prompts],
                }
                for r in view.rounds
                if r.cell
            },
            "labels": {
                "saved": _("All saved"),
                "unsent": _("{count} notes not yet sent"),
                "unsent_one": _("1 note not yet sent"),
                "round": _("Round"),
                "placeholder": _("What was said, what to follow up…"),
                "people": _("People"),
                "topics": _("Topics"),
                "conflict": _(
                    "This note was changed on another device. Both texts are below: merge them, "
                    "then keep the result."
                ),
                "theirs": _("Saved elsewhere"),
                "keep": _("Keep this text"),
                "error": _("Not saved:"),
            },
        },
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/facilitate-sw.js")
def service_worker() -> Response:
    """Served from the root so that it may look after `/facilitate`."""
    body = (STATIC_DIR / "js" / "facilitate-sw.js").read_bytes()
    return Response(
        body,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )

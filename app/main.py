"""Ronda's web app. The organizer pages come with the web issue; for now, the home page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(title="Ronda", summary="Plan and run World Café rotation sessions.")


@app.get("/", response_class=HTMLResponse)
def home() -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ronda</title></head>"
        "<body><h1>Ronda</h1><p>World Café rotation plans. The scheduler runs from the command "
        "line: <code>ronda solve examples/lima-2022/instance.json</code>.</p></body></html>"
    )


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}

"""The API's documentation at /docs: Swagger UI, vendored in static/vendor (no CDN), started by a
script file so that the Content-Security-Policy holds."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
SWAGGER = "/static/vendor/swagger-ui-5.35.0"

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Ronda API</title>
  <link rel="stylesheet" href="{swagger}/swagger-ui.css">
  <link rel="icon" href="/static/icons/ronda.svg" type="image/svg+xml">
  <script src="{swagger}/swagger-ui-bundle.js" defer></script>
  <script src="/static/js/docs.js" defer></script>
</head>
<body><div id="swagger-ui" data-spec="/openapi.json"></div></body>
</html>
"""


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE.replace("{swagger}", SWAGGER))

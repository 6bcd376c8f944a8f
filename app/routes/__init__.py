"""Routes: pages (HTML, htmx partials) and the JSON API under /api."""

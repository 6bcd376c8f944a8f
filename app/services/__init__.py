"""The organizer's operations: typed keyword-only functions on a session, no web imports.

They raise `RondaError` subclasses whose message says what is wrong and how to fix it; the web
routes and the CLI translate those into a status code or an exit code.
"""

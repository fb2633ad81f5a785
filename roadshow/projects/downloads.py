"""Sending a pitch deck: the one function every route that serves a deck file goes through.

Decks are confidential, so each download is audited. Recording it here rather than in the routes
means a new way to reach a deck (the project page, a reviewer's assignment, ...) cannot forget it.
Who may download is decided by the caller's policy before this is called.
"""
from flask import abort, current_app, send_file

from ..audit import services as audit
from ..extensions import db
from . import decks
from .models import Project


def send_deck(project: Project, *, in_viewer: bool = False):
    """The deck as a download (or, for the browser viewer, inline), after committing its audit entry;
    404 when the project has none."""
    if not project.has_deck:
        abort(404)
    path = decks.deck_path(project.deck_file)
    if not path.is_file():
        current_app.logger.error("Deck file %s of project %s is missing", project.deck_file, project.id)
        abort(404)
    audit.record(None, "deck.view" if in_viewer else "deck.download", project, project.title)  # by whoever is signed in
    db.session.commit()  # a GET: nothing else commits the entry
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=not in_viewer,
        download_name=project.deck_original_name or decks.DEFAULT_NAME,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"  # confidential: no shared caches
    return response

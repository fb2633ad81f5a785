"""Baseline for the page benchmarks: a bare Flask app whose one view runs one indexed query.

The query reads a month of sessions through the index on roadshow_sessions.starts_at, from the same
bench database, and answers JSON: no templates, no login, no extensions. Served exactly like the app
(gunicorn `bench.bare_flask:app`), so the ratio is the cost of the application itself.
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, jsonify

app = Flask(__name__)
engine = sa.create_engine(os.environ["DATABASE_URL"], pool_size=16, max_overflow=16)
MONTH = sa.text(
    "SELECT id, title, starts_at FROM roadshow_sessions WHERE starts_at >= :first AND starts_at < :last "
    "ORDER BY starts_at LIMIT 50"
)


@app.get("/readyz")
def ready():
    return "ok"


@app.get("/sessions")
def sessions():
    first = datetime.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    with engine.connect() as conn:
        rows = conn.execute(MONTH, {"first": str(first), "last": str(first + timedelta(days=31))}).all()
    return jsonify([{"id": r.id, "title": r.title, "starts_at": str(r.starts_at)} for r in rows])

"""Baseline for the live room: a bare python-socketio server with no application logic.

Run as a script, it is served like `python wsgi.py`: threading, WebSocket through simple-websocket,
Werkzeug's threaded server. As `bench.bare_socketio:app` it is served like the application under
scripts/serve-prod.sh (APP=bench.bare_socketio:app): in the async mode SOCKETIO_ASYNC_MODE names, rooms
shared through the Redis at REDIS_URL when set. A client that connects joins the one room; `ask {payload}`
broadcasts the payload to that room as `question` (the bench sends a payload shaped and sized like the
app's question event) and acks. No login, no database, no presence.

    PORT=8123 python -m bench.bare_socketio
"""
from __future__ import annotations

import os

import socketio
from werkzeug.serving import run_simple

ROOM = "room"
QUEUE = os.environ.get("REDIS_URL")
sio = socketio.Server(async_mode=os.environ.get("SOCKETIO_ASYNC_MODE", "threading"),
                      client_manager=socketio.RedisManager(QUEUE) if QUEUE else None)


@sio.event
def connect(sid, environ, auth=None):
    sio.enter_room(sid, ROOM)


@sio.on("ask")
def ask(sid, data):
    sio.emit("question", data["payload"], to=ROOM)
    return {"ok": True}


def ready(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


app = socketio.WSGIApp(sio, ready)

if __name__ == "__main__":
    run_simple(os.environ.get("HOST", "127.0.0.1"), int(os.environ["PORT"]), app, threaded=True)

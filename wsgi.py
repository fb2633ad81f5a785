"""WSGI entry point: `flask --app wsgi ...`, gunicorn `wsgi:app`, or `python wsgi.py` to serve."""
import gc
import os

from roadshow import create_app
from roadshow.extensions import socketio

app = create_app()
# What startup loaded (modules, the app, translations) lives as long as the process: keep it out of the
# garbage collector's full passes, which otherwise stopped a server process for ~100 ms every few hundred
# page views (~200,000 objects scanned each time; ~6 ms after this). README "Performance".
gc.freeze()

if __name__ == "__main__":
    from roadshow.jobs.runner import start_scheduler

    # Single process with Socket.IO (threading mode + simple-websocket): the `make run` server,
    # with the periodic jobs in a background thread (SCHEDULER_ENABLED=0 leaves them to `flask scheduler`).
    start_scheduler(app)
    socketio.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "5000")),
        allow_unsafe_werkzeug=True,
    )

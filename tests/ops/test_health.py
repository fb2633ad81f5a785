"""Health and readiness endpoints, request ids and structured request logs."""
import json
import logging

import pytest

from roadshow import create_app

from ..conftest import config_for


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}, "failing": []}


def test_readyz_names_a_database_that_does_not_answer(tmp_path):
    config = config_for(tmp_path, tmp_path / "db.sqlite3")
    config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite3'}"
    response = create_app(config).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["failing"] == ["database"]
    assert body["checks"]["database"] == "OperationalError"


def test_readyz_names_a_redis_that_does_not_answer_and_stays_ready_without_it(app, client, unused_tcp_port):
    """The site serves on without Redis (README "Faults"): not a reason to take the process out of rotation."""
    app.config["SOCKETIO_MESSAGE_QUEUE"] = f"redis://127.0.0.1:{unused_tcp_port}/0"  # read per request
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded" and response.get_json()["failing"] == ["redis"]
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ConnectionError"}


def test_readyz_names_an_smtp_server_that_does_not_answer_and_stays_ready_without_it(app, client, unused_tcp_port):
    """Mail waits in the outbox while the SMTP server is away: the site is degraded, not unavailable."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=unused_tcp_port)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "checks": {"database": "ok", "smtp": "ConnectionRefusedError"},
                                   "failing": ["smtp"]}


def test_request_id_is_generated_and_echoed(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first.headers["X-Request-ID"]) == 32
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_request_id_from_the_proxy_is_kept_and_junk_is_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a.17"}).headers["X-Request-ID"] == "nginx-4f2a.17"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id; <script>"}).headers["X-Request-ID"]
    assert replaced != "bad id; <script>" and len(replaced) == 32


def test_each_request_is_logged_as_one_json_line_with_its_id(client, caplog):
    from roadshow.ops.requestlog import JsonFormatter

    with caplog.at_level(logging.INFO, logger="roadshow.request"):
        response = client.get("/no-such-page", headers={"X-Request-ID": "trace-123"})
    [record] = [r for r in caplog.records if r.name == "roadshow.request"]
    assert record.fields["status"] == 404 and record.fields["path"] == "/no-such-page"
    assert response.headers["X-Request-ID"] == "trace-123"
    line = json.loads(JsonFormatter().format(record))
    assert line["msg"] == "GET /no-such-page 404" and line["status"] == 404
    assert line["request_id"] == "trace-123" and line["duration_ms"] >= 0
    assert line["level"] == "info" and line["logger"] == "roadshow.request"


@pytest.fixture
def unused_tcp_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

"""Configuration from the environment, with defaults that work on a fresh machine."""
import ast
import logging
import socket
import stat
import threading
from pathlib import Path

import pytest

from roadshow import create_app
from roadshow.config import DECLARED, FIXED, default_config, finish_config, warn_unknown_settings

from ..conftest import config_for


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = default_config(str(tmp_path))["SECRET_KEY"]
    second = default_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) == 64
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = tmp_path / "other"
    assert default_config(str(other))["SECRET_KEY"] != first  # never a constant in code


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgres://roadshow@127.0.0.1:5432/roadshow")
    monkeypatch.setenv("UPLOAD_DIR", "/srv/decks")
    monkeypatch.setenv("SOCKETIO_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0")
    config = default_config(str(tmp_path))
    assert config["SECRET_KEY"] == "from-env"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://roadshow@127.0.0.1:5432/roadshow"
    assert config["UPLOAD_DIR"] == "/srv/decks"
    assert config["SOCKETIO_MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"


def test_defaults_need_nothing_running(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "UPLOAD_DIR", "SOCKETIO_MESSAGE_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    config = default_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'roadshow.sqlite3'}"
    assert config["UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert config["SOCKETIO_MESSAGE_QUEUE"] is None


# ---------------------------------------------------------------- one source for every setting


PACKAGE = Path(__file__).resolve().parents[2] / "roadshow"
# Read by Flask or its extensions themselves, or set by them: not ours to declare.
FRAMEWORK_KEYS = {"APPLICATION_ROOT", "TESTING", "DEBUG", "SQLALCHEMY_DATABASE_URI", "SERVER_NAME",
                  "PREFERRED_URL_SCHEME", "REMEMBER_COOKIE_SECURE", "SESSION_COOKIE_SECURE"}


def _config_keys_read(tree: ast.AST):
    """(key, line) of every `...config["KEY"]` and `...config.get("KEY")` in a module."""
    for node in ast.walk(tree):
        target = key = None
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            target, key = node.value, node.slice.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant)):
            target, key = node.func.value, node.args[0].value
        name = getattr(target, "attr", None) or getattr(target, "id", None)
        if name == "config" and isinstance(key, str) and key.isupper():
            yield key, node.lineno


def test_every_setting_the_code_reads_is_declared_once_in_config():
    undeclared, environ_reads = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(PACKAGE.parent)
        undeclared += [f"{where}:{line} {key}" for key, line in _config_keys_read(tree)
                       if key not in DECLARED and key not in FIXED and key not in FRAMEWORK_KEYS
                       and not key.startswith(("API_", "OPENAPI_", "CACHE_"))]
        if path.name != "config.py":
            environ_reads += [f"{where}:{node.lineno}" for node in ast.walk(tree)
                              if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
                              and getattr(node.value, "id", None) == "os"]
    assert undeclared == [], "settings read but not declared in roadshow/config.py"
    assert environ_reads == [], "settings come through app.config, not os.environ"


def test_one_redis_url_backs_every_shared_feature_unless_one_is_given_its_own(tmp_path):
    # on the configuration alone: an app with a message queue would change the process-wide Socket.IO server
    config = default_config(str(tmp_path), environ={"REDIS_URL": "redis://127.0.0.1:6390/0",
                                                    "PAGE_CACHE_REDIS_URL": "redis://127.0.0.1:6391/2"})
    finish_config(config)
    assert config["SOCKETIO_MESSAGE_QUEUE"] == "redis://127.0.0.1:6390/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/0"
    assert config["LIVE_REDIS_URL"] == "redis://127.0.0.1:6390/0"
    assert config["PAGE_CACHE_REDIS_URL"] == "redis://127.0.0.1:6391/2"


def test_without_redis_rate_limits_count_in_memory(tmp_path):
    app = create_app(config_for(tmp_path, tmp_path / "db.sqlite3"))
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["SOCKETIO_MESSAGE_QUEUE"] is None and app.config["PAGE_CACHE_REDIS_URL"] is None


def test_a_misspelt_setting_in_the_environment_is_named_with_the_likely_one(caplog):
    with caplog.at_level(logging.WARNING, logger="roadshow.config"):
        unknown = warn_unknown_settings({"PAGE_CACHE_SECOND": "0", "MAIL_SERVER": "smtp", "HOME": "/root"})
    assert unknown == ["PAGE_CACHE_SECOND"]
    assert "did you mean PAGE_CACHE_SECONDS?" in caplog.text


def test_settings_are_parsed_to_their_types(tmp_path):
    config = default_config(str(tmp_path), environ={
        "MAIL_PORT": "587", "MAIL_USE_TLS": "yes", "SCHEDULER_ENABLED": "0", "PDF_PARSE_TIMEOUT": "2.5",
        "SOCKETIO_CORS_ALLOWED_ORIGINS": "https://a.example, https://b.example", "SECRET_KEY": "k",
    })
    assert config["MAIL_PORT"] == 587 and config["MAIL_USE_TLS"] is True
    assert config["SCHEDULER_ENABLED"] is False and config["PDF_PARSE_TIMEOUT"] == 2.5
    assert config["SOCKETIO_CORS_ALLOWED_ORIGINS"] == ["https://a.example", "https://b.example"]


@pytest.fixture
def smtp_server():
    """A loopback server that speaks just enough SMTP for a connection check; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn, conn.makefile("rwb") as stream:
                stream.write(b"220 test ESMTP\r\n")
                stream.flush()
                for line in stream:
                    verb = line.split()[0].upper() if line.strip() else b""
                    stream.write({b"QUIT": b"221 bye\r\n", b"EHLO": b"250 test\r\n"}.get(verb, b"250 ok\r\n"))
                    stream.flush()
                    if verb == b"QUIT":
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readyz_checks_the_smtp_server_when_one_is_configured(tmp_path, smtp_server):
    config = config_for(tmp_path, tmp_path / "db.sqlite3")
    config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server)
    answer = create_app(config).test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json()["checks"] == {"database": "ok", "smtp": "ok"}

    config.update(MAIL_PORT=_free_port())  # reported, but the site serves on: mail waits in the outbox
    answer = create_app(config).test_client().get("/readyz")
    assert answer.status_code == 200 and answer.get_json()["status"] == "degraded"
    assert answer.get_json()["failing"] == ["smtp"]


def test_readyz_checks_the_redis_named_by_redis_url(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{_free_port()}/0"  # read per request
    answer = client.get("/readyz")
    assert answer.status_code == 200 and answer.get_json()["failing"] == ["redis"]  # degraded, still serving


def test_the_readme_documents_every_setting():
    readme = (PACKAGE.parent / "README.md").read_text()
    assert [name for name in DECLARED if f"| `{name}` |" not in readme] == []

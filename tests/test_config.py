"""Configuration from the environment, with defaults that work on a fresh machine."""
import stat

from roadshow.config import default_config


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

"""schemathesis against the live OpenAPI document of a running server with the demo data:
no 5xx, and every response matches the documented status codes, content types and schemas."""
import os
import shutil
import subprocess
import sys

import pytest

from ..support.server import ROOT, prepare_database, running_server, server_env

SCHEMATHESIS = shutil.which("schemathesis", path=str(ROOT / ".venv" / "bin")) or shutil.which("schemathesis")
TOKEN_SCRIPT = """
import sqlalchemy as sa
from roadshow import create_app
from roadshow.accounts.models import Role, User
from roadshow.api.tokens import create_token
from roadshow.extensions import db
with create_app().app_context():
    investor = next(u for u in db.session.scalars(sa.select(User).order_by(User.id)) if u.has_role(Role.INVESTOR))
    print(create_token(investor, "schemathesis", ["read", "write"])[1])
    db.session.commit()
"""

pytestmark = pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is not installed (make install-dev)")


def run_schemathesis(base: str, token: str, folder, seed: int = 20261123) -> subprocess.CompletedProcess:
    # the hooks add extreme dates, cursors holding huge integers and deeply nested bodies
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_hooks",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [SCHEMATHESIS, "run", f"{base}/api/v1/openapi.json",
         "--checks", "all",
         # an opaque cursor can't be described by a schema: a made-up one is rightly refused (422)
         "--exclude-checks", "positive_data_acceptance",
         # one worker: CPython 3.11.7 raises "AST constructor recursion depth mismatch" when two threads parse
         # at once (gh-106905, fixed in 3.11.8), which hypothesis does to describe the hooks' strategies
         "--max-time", "40", "--workers", "1", "--seed", str(seed),
         "-H", f"Authorization: Bearer {token}"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=600,
    )


def tool_crashed(result: subprocess.CompletedProcess) -> bool:
    """Only schemathesis' own runtime errors (seen once: a CPython AST recursion error inside the tool), no failures."""
    return result.returncode != 0 and "Runtime Error" in result.stdout and "Failures:" not in result.stdout


def test_schemathesis_finds_no_server_errors_or_schema_violations(tmp_path):
    env = server_env(tmp_path, API_RATE_LIMIT="100000/minute")  # fuzzing, not measuring the limit
    if "postgresql" in env["DATABASE_URL"]:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'server.sqlite3'}"  # the live server gets its own database
    prepare_database(env)
    token = subprocess.run([sys.executable, "-c", TOKEN_SCRIPT], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with running_server(env, tmp_path / "server.log") as base:
        result = run_schemathesis(base, token, tmp_path)
        if tool_crashed(result):  # schemathesis itself crashed (not a finding about the API): run once more,
            result = run_schemathesis(base, token, tmp_path, seed=20261124)  # on other cases (a seed crashes alike)
    assert result.returncode == 0, result.stdout[-6000:] + (tmp_path / "server.log").read_text()[-3000:]

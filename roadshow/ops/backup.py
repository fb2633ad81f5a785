"""`flask --app wsgi backup [PATH]`: a consistent copy of the SQLite database while the site runs."""
import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db


def backup_sqlite(source: str, target: Path) -> None:
    """Copy with SQLite's online backup API (a consistent snapshot even while others write).

    The copy is written aside and renamed into place, so `target` is never a half-written file.
    """
    draft = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(draft)) as dst:
            src.backup(dst)
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise click.ClickException("the copy failed SQLite's integrity check")
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        os.replace(draft, target)
    finally:
        draft.unlink(missing_ok=True)


@click.command("backup")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path | None) -> None:
    """Write a consistent copy of the SQLite database to PATH (default: instance/backups/)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            f"backup copies SQLite database files; this site uses {url.get_backend_name()}. "
            "For PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=roadshow.dump "
            "postgresql://USER@HOST:PORT/DBNAME"
        )
    if not Path(url.database).is_file():
        raise click.ClickException(f"there is no database at {url.database} to back up")
    if path is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(current_app.instance_path) / "backups" / f"roadshow-{stamp}.sqlite3"
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    backup_sqlite(url.database, path)
    click.echo(f"backup written: {path} ({path.stat().st_size // 1024} KiB)")

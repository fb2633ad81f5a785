"""bench/scenario_pages_logged_in.py on PostgreSQL (bench/postgresql.py)."""
from .postgresql import rows_on_postgresql


def run() -> list[dict]:
    return rows_on_postgresql("pages_logged_in")

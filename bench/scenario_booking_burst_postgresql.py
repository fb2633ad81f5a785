"""bench/scenario_booking_burst.py on PostgreSQL (bench/postgresql.py)."""
from .postgresql import rows_on_postgresql


def run() -> list[dict]:
    return rows_on_postgresql("booking_burst")

"""Screening (路演筛选): demo data."""
from datetime import date


def seed_demo(today: date) -> None:
    """Adds this domain's demo rows; idempotent like the rest of the demo data set."""

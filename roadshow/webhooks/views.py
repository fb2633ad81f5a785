"""Webhooks have no pages of their own: partners manage subscriptions through the API (roadshow/api/webhooks.py)."""
from flask import Flask


def register_domain(app: Flask) -> None:
    """Nothing to register; the domain is listed so its periodic job is discovered."""

"""JSON API v1 for partner platforms."""

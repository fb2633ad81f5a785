"""Pieces shared by every domain: enums with labels, time helpers, pagination."""

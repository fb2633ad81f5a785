"""Investors: institutions, their funds, and verification by admins."""

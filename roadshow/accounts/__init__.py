"""Accounts: users, roles, registration and login."""

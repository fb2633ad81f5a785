"""Audit log: who did what to which record, for admin actions and confidential downloads."""

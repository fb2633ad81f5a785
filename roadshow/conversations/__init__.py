"""Conversation threads between the two parties of a meeting request or a deal (admins moderate)."""

"""In-app notifications and the email outbox: every domain tells users things through here."""

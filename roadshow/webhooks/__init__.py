"""Webhooks: partner platforms subscribe to events and receive signed deliveries through an outbox."""

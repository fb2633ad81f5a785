"""Roadshows: venues, series, sessions, slots, seat bookings and applications."""

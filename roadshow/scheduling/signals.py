"""Signals of the scheduling domain. Receivers are connected in roadshow/wiring.py, never at import."""
from blinker import Namespace

_signals = Namespace()

# Sent with the User while their private iCalendar feed is built; each receiver returns the events
# its domain adds for that user: an iterable of icalendar.Event made with scheduling.ical.make_event
# (the feed already holds the user's booked sessions and their company's pitches).
personal_feed_events = _signals.signal("personal-feed-events")

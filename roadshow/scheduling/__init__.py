"""The every-day calendar: recurring templates, horizon fill, slot filling, calendar views and iCal feeds."""

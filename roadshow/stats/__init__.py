"""The admin statistics dashboard: roadshows, projects, matches, meetings and deals by day, month and chain."""

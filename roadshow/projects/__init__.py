"""Projects: startup companies, their projects, pitch decks and the screening workflow."""

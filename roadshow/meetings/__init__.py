"""Meeting requests, availability, and the deal pipeline."""

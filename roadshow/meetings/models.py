"""Meeting requests, availability, and the deal pipeline.: models (issue 5)."""

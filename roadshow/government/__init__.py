"""The government departments' read-only dashboard: financing by source, chain, month and district, loans, the funnel."""

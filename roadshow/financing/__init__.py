"""Financing results from every source: equity rounds, loans and grants, and the questions after each roadshow."""

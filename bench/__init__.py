"""Benchmarks run by `make bench` (never by `make test`): each bench/scenario_*.py has a run()."""

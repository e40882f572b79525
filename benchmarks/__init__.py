"""Benchmarks of kb: `make bench` (python -m benchmarks) prints a table and writes JSON."""

"""Benchmarks: a synthetic province-scale ledger generator and the harness that times it."""

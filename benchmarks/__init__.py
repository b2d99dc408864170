"""Benchmarks for the hub: load, scale and start-up figures, written to docs/performance.md.

Run with `make bench` (full) or `make bench BENCH_ARGS=--quick`. Every load loop is bounded
in time and in count, and targets only 127.0.0.1.
"""

"""Command-line entry points of the Omni project: setup, demo, tests, benchmarks."""

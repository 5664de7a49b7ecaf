"""Performance checks run by hand: `python -m benchmarks.<name>`."""

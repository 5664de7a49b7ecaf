"""plangraph: Chinese government action plans as a knowledge graph.

This package is the composition root: the CLI wires ingest, queries and api together, so the
layers themselves keep their one-way dependencies (api -> queries -> schema <- ingest).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plangraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

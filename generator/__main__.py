"""`python -m generator` runs the same command line as `briefing`."""

from .cli import run

run()

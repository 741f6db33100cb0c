"""cli stage."""

from fsdocs.cli.commands import main

__all__ = ["main"]

"""The command line: a thin French front end over the library's functions."""

from fsdocs.cli.main import cli, main

__all__ = ["cli", "main"]

"""The command line: argument parsing, the commands, and the texts they print."""

from briefgen.cli.main import run

__all__ = ["run"]

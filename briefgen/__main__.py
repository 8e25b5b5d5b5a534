"""Allow ``python -m briefgen``."""

from briefgen.cli.main import run

run()

"""``python -m eventcoder``: the same command line as ``eventcoder``."""

from eventcoder.cli import app

app(prog_name="eventcoder")

"""`python -m builder`. Ctrl-C is answered from the first line on, even while the command line loads."""

import signal
import sys


def _interrupted_while_starting(signum: int, frame: object) -> None:
    sys.stderr.write("interrupted; no output was left half-written\n")
    raise SystemExit(130)


signal.signal(signal.SIGINT, _interrupted_while_starting)

from .cli import run  # noqa: E402  (after the handler: importing takes long enough to be interrupted)

run()

"""mulligand that stops for good as it starts applying a deploy agent's report.

The baremetal crash test kills the daemon at the worst moment of a report:
taken from the agent, not yet applied to the machine. Nothing in the daemon
waits there, so this wrapper makes it hang at that point and say so by
creating the file named by ``$REPORT_STALL_MARKER``.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from mulligan import daemon
from mulligan.control.deploys import Deploys


def _stall(*_args: Any) -> None:
    Path(os.environ["REPORT_STALL_MARKER"]).write_text("applying a report")
    threading.Event().wait()


if __name__ == "__main__":
    # Before the daemon is built: its Deploys hands this to the boot jobs as the report handler.
    Deploys._reported = _stall  # type: ignore[method-assign]
    sys.exit(daemon.main(sys.argv[1:]))

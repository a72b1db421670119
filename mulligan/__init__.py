"""Mulligan: discover and manage an inventory of baremetal and virtual
machines, and let tenants request, claim and consume single machines."""

import os

# The gRPC C core writes its diagnostics straight to stderr, past Python's
# logging: they would break mulligand's log of one JSON object per line,
# and the CLI's own messages. It reads this once, when grpc is first
# imported, which no import of mulligan comes before.
os.environ["GRPC_VERBOSITY"] = "NONE"

__version__ = "0.2.0.dev0"

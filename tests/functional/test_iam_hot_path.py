"""Checking a token costs no database work."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from tests.fixtures.iam import Identity, login


def test_authenticated_calls_run_no_sql_for_the_token(daemon: Daemon, client: Client, iam_admin: Identity) -> None:
    statements: list[str] = []

    def record(connection: Any, cursor: Any, statement: str, *args: Any) -> None:
        # Only what the RPC threads run: background watches poll on their own.
        if threading.current_thread().name.startswith("rpc"):
            statements.append(statement)

    fresh = login(daemon, "admin", iam_admin.password, "admin")
    sa.event.listen(daemon.database.engine, "before_cursor_execute", record)
    try:
        with Client(daemon.address, token=fresh) as as_admin:
            for _ in range(20):
                as_admin.iam.GetRole(pb.GetRoleRequest(name="reader"))
        for _ in range(20):
            client.iam.ListRoles(pb.ListRolesRequest())
        assert statements == []
        # The listener does see what RPC threads run.
        client.iam.ListAccounts(pb.ListAccountsRequest())
        assert statements
    finally:
        sa.event.remove(daemon.database.engine, "before_cursor_execute", record)

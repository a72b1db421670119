"""Page tokens a client made up, at every RPC that takes one (found by the RPC fuzz).

A token is opaque: one the daemon did not hand out is INVALID_ARGUMENT,
never INTERNAL, however it parses. Resource tokens were checked with
``str.isdigit``, which also takes "²" (``int`` refuses it) and numbers
longer than any row id.
"""

from __future__ import annotations

from collections.abc import Callable

import grpc
import pytest
from google.protobuf.message_factory import GetMessageClass

from mulligan import daemon as daemon_mod
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client
from mulligan.rpc import error_from_rpc
from tests.fixtures.fuzz import Rpc, rpcs
from tests.fixtures.iam import bootstrap

MADE_UP = (
    "²",  # a digit to str.isdigit, not to int
    "\uff11",  # a full-width digit one, which int reads as 1
    "9" * 25,  # beyond a 64-bit id
    "9223372036854775808",  # one past the largest 64-bit id
    "0" * 5000,  # longer than int parses
    "-1",
    "@@@",
)
PAGED = [rpc for rpc in rpcs() if "page_token" in rpc.request.fields_by_name]
# The three roles fit in one page: its token is never read.
UNPAGED = {"ListRoles"}


def test_every_paged_rpc_is_covered() -> None:
    names = {rpc.name for rpc in PAGED}
    assert {"ListAccounts", "ListProviders", "ListClaims", "ListMachines"} <= names


@pytest.mark.parametrize("rpc", [rpc for rpc in PAGED if rpc.name not in UNPAGED], ids=lambda rpc: rpc.name)
def test_made_up_page_tokens_are_invalid_argument(rpc: Rpc, start_daemon: Callable[..., daemon_mod.Daemon]) -> None:
    daemon = start_daemon()
    admin = bootstrap(daemon)
    request_type = GetMessageClass(rpc.request)
    # Lists of what belongs to one object need that object first: only the
    # token may be wrong in these requests.
    with admin.client(daemon) as client:
        fields = _owner_fields(client, rpc.name)
    with grpc.insecure_channel(daemon.address) as channel:
        call = channel.unary_unary(rpc.path)
        metadata = [("authorization", f"Bearer {admin.token}")]
        for token in MADE_UP:
            request = request_type(page_token=token, **fields)
            with pytest.raises(grpc.RpcError) as caught:
                call(request.SerializeToString(), metadata=metadata, timeout=10)
            error = error_from_rpc(caught.value)
            assert (caught.value.code(), error.reason) == (  # type: ignore[attr-defined]
                grpc.StatusCode.INVALID_ARGUMENT,
                "INVALID_PAGE_TOKEN",
            ), (token[:20], error)


def _owner_fields(client: Client, rpc_name: str) -> dict[str, object]:
    """The fields naming the object a list belongs to, the object made first."""
    if rpc_name in ("ListTags", "ListValues"):
        region = client.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="tagged")).region
        return {"object": meta_pb2.ObjectRef(kind="region", ref=region.id)}
    if rpc_name == "ListGroupMembers":
        return {"group": client.resource.CreateGroup(resource_pb2.CreateGroupRequest(name="rack-1")).group.id}
    if rpc_name == "ListDistances":
        client.resource.CreateRegion(resource_pb2.CreateRegionRequest(name="near"))
        provider = client.resource.CreateProvider(resource_pb2.CreateProviderRequest(region="near")).provider
        return {"provider": provider.id}
    return {}

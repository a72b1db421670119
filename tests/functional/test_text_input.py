"""Text no store can hold is refused where it enters, in any field of any
service: INVALID_ARGUMENT ``INVALID_TEXT`` naming the field, nothing stored.

Over gRPC that is a NUL character (PostgreSQL refuses it in text; bytes
that are not UTF-8 never decode, see test_rpc_malformed). Through the
Python API it is also a lone surrogate, which is how Python hands over
bytes that were not UTF-8, and which no UTF-8 encoder takes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mulligan import errors
from mulligan.api.iam.v1 import iam_pb2
from mulligan.api.meta.v1 import meta_pb2
from mulligan.api.resource.v1 import resource_pb2
from mulligan.client import Client
from mulligan.daemon import Daemon
from tests.fixtures.cli import run_cli
from tests.fixtures.iam import Identity

NUL = "\x00"
# What os.fsdecode(b"\xff") or a surrogateescape'd argv gives.
SURROGATE = b"caf\xff".decode("utf-8", "surrogateescape")


def _refused(call: Callable[[], Any], field: str) -> None:
    with pytest.raises(errors.InvalidArgument) as caught:
        call()
    assert caught.value.reason == "INVALID_TEXT", caught.value.message
    assert caught.value.metadata["field"] == field


def test_a_login_name_with_nul_is_invalid_argument(daemon: Daemon, iam_admin: Identity) -> None:
    request = iam_pb2.AuthenticateRequest(
        password=iam_pb2.PasswordCredentials(account=f"admin{NUL}", password=iam_admin.password)
    )
    with Client(daemon.address) as anonymous:
        _refused(lambda: anonymous.iam.Authenticate(request), "password.account")


def test_tags_with_nul_are_invalid_argument_and_not_stored(client: Client, iam_admin: Identity) -> None:
    target = meta_pb2.ObjectRef(kind="project", ref=iam_admin.project_id)
    _refused(
        lambda: client.meta.AddTags(meta_pb2.AddTagsRequest(object=target, tags=["fine", f"not{NUL}fine"])), "tags[1]"
    )
    assert list(client.meta.ListTags(meta_pb2.ListTagsRequest(object=target)).tags) == []


@pytest.mark.parametrize(
    ("method", "request_", "field"),
    [
        # These reached PostgreSQL and came back INTERNAL.
        ("SetQuota", resource_pb2.SetQuotaRequest(project_id=f"p{NUL}", resource_class="VCPU", limit=4), "project_id"),
        ("GetProjectUsage", resource_pb2.GetProjectUsageRequest(project_id=NUL), "project_id"),
        ("ListQuotas", resource_pb2.ListQuotasRequest(project_id=f"p{NUL}"), "project_id"),
        ("DeleteTrait", resource_pb2.DeleteTraitRequest(code=f"CUSTOM_{NUL}"), "code"),
        # Map keys and values.
        (
            "CreateRegion",
            resource_pb2.CreateRegionRequest(name="eu", attributes={"power": f"feed{NUL}a"}),
            "attributes['power']",
        ),
        (
            "CreateRegion",
            resource_pb2.CreateRegionRequest(name="eu", attributes={f"po{NUL}wer": "feed-a"}),
            "attributes key 'po\\x00wer'",
        ),
    ],
    ids=["quota", "usage", "quotas", "trait", "map-value", "map-key"],
)
def test_nul_in_any_string_field_is_invalid_argument(client: Client, method: str, request_: Any, field: str) -> None:
    _refused(lambda: getattr(client.resource, method)(request_), field)
    assert list(client.resource.ListRegions(resource_pb2.ListRegionsRequest()).regions) == []
    assert list(client.resource.ListQuotas(resource_pb2.ListQuotasRequest()).quotas) == []


def test_a_password_with_nul_is_refused_and_no_account_is_made(client: Client) -> None:
    before = len(client.iam.ListAccounts(iam_pb2.ListAccountsRequest()).accounts)
    request = iam_pb2.CreateAccountRequest(account=iam_pb2.Account(name="carol"), password=f"long enough{NUL}")
    _refused(lambda: client.iam.CreateAccount(request), "password")
    assert len(client.iam.ListAccounts(iam_pb2.ListAccountsRequest()).accounts) == before


@pytest.mark.parametrize("bad", [SURROGATE, f"a{NUL}b"], ids=["surrogate", "nul"])
def test_the_python_api_refuses_the_same_text_in_every_module(daemon: Daemon, iam_admin: Identity, bad: str) -> None:
    iam, meta, resource, control = (
        daemon.modules.iam,
        daemon.modules.meta,
        daemon.modules.resource,
        daemon.modules.control,
    )
    accounts = len(iam.list_accounts().items)
    _refused(lambda: iam.authenticate_password(f"admin{bad}", iam_admin.password), "account")
    _refused(lambda: iam.authenticate_password("admin", iam_admin.password + bad), "password")
    _refused(lambda: iam.create_account("carol", f"long enough {bad}"), "password")
    assert len(iam.list_accounts().items) == accounts
    _refused(lambda: meta.add_tags("project", iam_admin.project_id, ["fine", bad]), "values[1]")
    assert meta.list_tags("project", iam_admin.project_id).items == []
    _refused(lambda: meta.add_tags("project", bad, ["fine"]), "ref")
    _refused(lambda: meta.resolve_names("account", ["admin", bad]), "refs[1]")
    _refused(lambda: meta.get_definition(bad, "size"), "namespace")
    _refused(lambda: resource.set_quota(bad, "VCPU", 4), "project_id")
    _refused(lambda: control.machines.get(bad), "ref")


def test_the_cli_says_an_argument_is_not_utf8_instead_of_a_traceback(
    daemon: Daemon, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MULLIGAN_CONFIG_DIR", str(tmp_path / "config"))
    # The shell passes the bytes; Python's argv holds them as surrogates.
    result = run_cli(capsys, "--endpoint", daemon.address, "project", "show", SURROGATE)
    assert result.code == 1
    assert result.err == "error: an argument or a file given is not valid UTF-8 text (INVALID_TEXT)\n"

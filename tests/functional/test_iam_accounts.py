"""Accounts and projects: create, read, list in pages, update with a field mask, delete."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from google.protobuf import field_mask_pb2

from mulligan.api.iam.v1 import iam_pb2 as pb
from mulligan.client import Client
from mulligan.daemon import Daemon
from mulligan.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    MulliganError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from tests.fixtures.iam import Identity, create_project, create_user, grant, login, member


def _mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def _all_accounts(client: Client, page_size: int = 0) -> list[pb.Account]:
    accounts: list[pb.Account] = []
    token = ""
    while True:
        page = client.iam.ListAccounts(pb.ListAccountsRequest(page_size=page_size, page_token=token))
        accounts.extend(page.accounts)
        token = page.next_page_token
        if not token:
            return accounts


def test_create_get_and_page_through_accounts(client: Client) -> None:
    created = [
        client.iam.CreateAccount(
            pb.CreateAccountRequest(
                account=pb.Account(name=f"user{index}", display_name=f"User {index}", description="tester"),
                password="a-good-password",
            )
        ).account
        for index in range(7)
    ]
    assert created[0].kind == pb.ACCOUNT_KIND_USER
    assert created[0].display_name == "User 0"
    assert created[0].create_time.seconds > 0
    by_name = client.iam.GetAccount(pb.GetAccountRequest(account="user3")).account
    by_id = client.iam.GetAccount(pb.GetAccountRequest(account=created[3].id)).account
    assert by_name == by_id
    assert by_name.name == "user3"

    pages = []
    token = ""
    while True:
        page = client.iam.ListAccounts(pb.ListAccountsRequest(page_size=3, page_token=token))
        pages.append([account.name for account in page.accounts])
        token = page.next_page_token
        if not token:
            break
    # Creation order, the bootstrapped admin first.
    assert pages == [["admin", "user0", "user1"], ["user2", "user3", "user4"], ["user5", "user6"]]
    users = client.iam.ListAccounts(pb.ListAccountsRequest(kind=pb.ACCOUNT_KIND_USER, page_size=500)).accounts
    assert len(users) == 8


def test_duplicate_names_are_refused(client: Client) -> None:
    create_user(client, "dup")
    with pytest.raises(AlreadyExists) as caught:
        create_user(client, "dup")
    assert caught.value.reason == "ACCOUNT_EXISTS"
    create_project(client, "team")
    with pytest.raises(AlreadyExists) as caught:
        create_project(client, "team")
    assert caught.value.reason == "PROJECT_EXISTS"


def test_bad_account_input_is_refused_and_stores_nothing(client: Client) -> None:
    before = len(_all_accounts(client))
    cases: list[tuple[pb.CreateAccountRequest, str]] = [
        (pb.CreateAccountRequest(account=pb.Account(name=""), password="a-good-password"), "NAME_REQUIRED"),
        (pb.CreateAccountRequest(account=pb.Account(name="n" * 65), password="a-good-password"), "NAME_TOO_LONG"),
        (pb.CreateAccountRequest(account=pb.Account(name="two words"), password="a-good-password"), "INVALID_NAME"),
        (pb.CreateAccountRequest(account=pb.Account(name="ok1"), password="short"), "PASSWORD_TOO_SHORT"),
        (pb.CreateAccountRequest(account=pb.Account(name="ok2"), password="p" * 2000), "PASSWORD_TOO_LONG"),
        (
            pb.CreateAccountRequest(account=pb.Account(name="ok3", description="d" * 1025), password="a-good-password"),
            "FIELD_TOO_LONG",
        ),
        (
            pb.CreateAccountRequest(account=pb.Account(name="ok4", display_name="\x00bad"), password="a-good-password"),
            "INVALID_TEXT",
        ),
    ]
    for request, reason in cases:
        with pytest.raises(InvalidArgument) as caught:
            client.iam.CreateAccount(request)
        assert caught.value.reason == reason
        assert caught.value.message
    assert len(_all_accounts(client)) == before
    # The names of refused requests are free.
    for name in ("ok1", "ok2", "ok3", "ok4"):
        create_user(client, name)
    for request_args, reason in [
        ({"page_size": -1}, "INVALID_PAGE_SIZE"),
        ({"page_token": "garbage"}, "INVALID_PAGE_TOKEN"),
    ]:
        with pytest.raises(InvalidArgument) as caught:
            client.iam.ListAccounts(pb.ListAccountsRequest(**request_args))
        assert caught.value.reason == reason
    with pytest.raises(NotFound):
        client.iam.GetAccount(pb.GetAccountRequest(account="nobody"))
    with pytest.raises(InvalidArgument):
        client.iam.GetAccount(pb.GetAccountRequest(account=""))


def test_update_with_a_field_mask(daemon: Daemon, client: Client) -> None:
    account_id, password = create_user(client, "carol", "carol-password")
    updated = client.iam.UpdateAccount(
        pb.UpdateAccountRequest(
            account=pb.Account(id=account_id, display_name="Carol", description="ignored"),
            update_mask=_mask("display_name"),
        )
    ).account
    assert (updated.display_name, updated.description) == ("Carol", "")
    for paths, reason in [
        ((), "EMPTY_UPDATE_MASK"),
        (("name",), "FIELD_NOT_UPDATABLE"),
        (("kind",), "FIELD_NOT_UPDATABLE"),
        (("no_such_field",), "UNKNOWN_FIELD"),
    ]:
        with pytest.raises(InvalidArgument) as caught:
            client.iam.UpdateAccount(
                pb.UpdateAccountRequest(account=pb.Account(id=account_id), update_mask=_mask(*paths))
            )
        assert caught.value.reason == reason
    assert client.iam.GetAccount(pb.GetAccountRequest(account=account_id)).account.name == "carol"

    # Carol changes her own password: the current one is needed.
    with Client(daemon.address, token=login(daemon, "carol", password)) as carol:
        with pytest.raises(PermissionDenied) as caught:
            carol.iam.UpdateAccount(
                pb.UpdateAccountRequest(
                    account=pb.Account(id=account_id), update_mask=_mask("password"), password="new-password-1"
                )
            )
        assert caught.value.reason == "CURRENT_PASSWORD_WRONG"
        carol.iam.UpdateAccount(
            pb.UpdateAccountRequest(
                account=pb.Account(id=account_id),
                update_mask=_mask("password"),
                password="new-password-1",
                current_password=password,
            )
        )
        # The change revoked every token made before it, hers included.
        with pytest.raises(Unauthenticated) as revoked:
            carol.iam.GetAccount(pb.GetAccountRequest(account="carol"))
        assert revoked.value.reason == "TOKEN_REVOKED"
    # She may not disable herself.
    with (
        Client(daemon.address, token=login(daemon, "carol", "new-password-1")) as carol,
        pytest.raises(PermissionDenied),
    ):
        carol.iam.UpdateAccount(
            pb.UpdateAccountRequest(account=pb.Account(id=account_id, disabled=True), update_mask=_mask("disabled"))
        )
    login(daemon, "carol", "new-password-1")
    with pytest.raises(Unauthenticated):
        login(daemon, "carol", password)


def test_disable_and_delete_revoke_tokens(daemon: Daemon, client: Client) -> None:
    account_id, password = create_user(client, "dave", "dave-password")
    token = login(daemon, "dave", password)
    with Client(daemon.address, token=token) as dave:
        dave.iam.GetAccount(pb.GetAccountRequest(account="dave"))
        client.iam.UpdateAccount(
            pb.UpdateAccountRequest(account=pb.Account(id=account_id, disabled=True), update_mask=_mask("disabled"))
        )
        with pytest.raises(Unauthenticated) as caught:
            dave.iam.GetAccount(pb.GetAccountRequest(account="dave"))
        assert caught.value.reason == "TOKEN_REVOKED"
    with pytest.raises(Unauthenticated) as caught:
        login(daemon, "dave", password)
    assert caught.value.reason == "ACCOUNT_DISABLED"
    client.iam.UpdateAccount(
        pb.UpdateAccountRequest(account=pb.Account(id=account_id, disabled=False), update_mask=_mask("disabled"))
    )
    token = login(daemon, "dave", password)
    client.iam.DeleteAccount(pb.DeleteAccountRequest(account="dave"))
    with Client(daemon.address, token=token) as dave, pytest.raises(Unauthenticated):
        dave.iam.ListRoles(pb.ListRolesRequest())
    with pytest.raises(NotFound):
        client.iam.GetAccount(pb.GetAccountRequest(account=account_id))
    # The name is free again.
    create_user(client, "dave")


def test_the_last_system_admin_stays(daemon: Daemon, client: Client, iam_admin: Identity) -> None:
    for attempt in (
        lambda: client.iam.DeleteAccount(pb.DeleteAccountRequest(account=iam_admin.account_id)),
        lambda: client.iam.DeleteRoleAssignment(
            pb.DeleteRoleAssignmentRequest(account="admin", role="admin", system_scope=True)
        ),
        lambda: client.iam.UpdateAccount(
            pb.UpdateAccountRequest(
                account=pb.Account(id=iam_admin.account_id, disabled=True), update_mask=_mask("disabled")
            )
        ),
    ):
        with pytest.raises(FailedPrecondition) as caught:
            attempt()
        assert caught.value.reason == "LAST_SYSTEM_ADMIN"
    # With a second system admin, the first may go.
    second, password = create_user(client, "second-admin")
    client.iam.CreateRoleAssignment(pb.CreateRoleAssignmentRequest(account=second, role="admin", system_scope=True))
    assert client.iam.GetAccount(pb.GetAccountRequest(account=second)).account.system_admin
    client.iam.DeleteRoleAssignment(pb.DeleteRoleAssignmentRequest(account="admin", role="admin", system_scope=True))
    # Tokens carry system admin: the first admin's are revoked.
    with pytest.raises(Unauthenticated):
        client.iam.ListRoles(pb.ListRolesRequest())
    with Client(daemon.address, token=login(daemon, "second-admin", password)) as as_second:
        assert not as_second.iam.GetAccount(pb.GetAccountRequest(account="admin")).account.system_admin


def test_projects_update_delete_and_isolation(daemon: Daemon, client: Client) -> None:
    alpha = create_project(client, "alpha")
    beta = create_project(client, "beta")
    anna = member(daemon, client, "anna", alpha, "admin")
    bert = member(daemon, client, "bert", beta, "member")
    with anna.client(daemon) as as_anna, bert.client(daemon) as as_bert:
        updated = as_anna.iam.UpdateProject(
            pb.UpdateProjectRequest(
                project=pb.Project(id=alpha, description="the A team"), update_mask=_mask("description")
            )
        ).project
        assert (updated.name, updated.description) == ("alpha", "the A team")
        with pytest.raises(InvalidArgument) as caught:
            as_anna.iam.UpdateProject(pb.UpdateProjectRequest(project=pb.Project(id=alpha), update_mask=_mask("name")))
        assert caught.value.reason == "FIELD_NOT_UPDATABLE"
        assert [p.name for p in as_anna.iam.ListProjects(pb.ListProjectsRequest()).projects] == ["alpha"]
        assert [p.name for p in as_bert.iam.ListProjects(pb.ListProjectsRequest()).projects] == ["beta"]
        # Another project's things do not exist for you, by name or id.
        for ref in ("alpha", alpha):
            with pytest.raises(NotFound):
                as_bert.iam.GetProject(pb.GetProjectRequest(project=ref))
        with pytest.raises(NotFound):
            as_bert.iam.GetAccount(pb.GetAccountRequest(account="anna"))
        assert {a.name for a in as_bert.iam.ListAccounts(pb.ListAccountsRequest()).accounts} == {"bert"}
        assert {a.name for a in as_anna.iam.ListAccounts(pb.ListAccountsRequest()).accounts} == {"anna"}
        credential = as_anna.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="ci"))
        # Deleting the project takes its credentials and revokes its tokens.
        client.iam.DeleteProject(pb.DeleteProjectRequest(project="alpha"))
        with pytest.raises(Unauthenticated) as caught:
            as_anna.iam.ListProjects(pb.ListProjectsRequest())
        assert caught.value.reason == "TOKEN_REVOKED"
        as_bert.iam.ListProjects(pb.ListProjectsRequest())
    with pytest.raises(NotFound):
        client.iam.GetAccount(pb.GetAccountRequest(account=credential.account.id))
    with pytest.raises(PermissionDenied) as caught:
        login(daemon, "anna", anna.password, "alpha")
    assert caught.value.reason == "NO_ROLE_IN_PROJECT"
    assert [p.name for p in client.iam.ListProjects(pb.ListProjectsRequest()).projects] == ["admin", "beta"]
    create_project(client, "alpha")


def test_role_changes_revoke_the_tokens_that_carry_them(daemon: Daemon, client: Client) -> None:
    alpha = create_project(client, "alpha")
    erin = member(daemon, client, "erin", alpha, "member")
    grant(client, "erin", alpha, "reader")
    with pytest.raises(AlreadyExists):
        grant(client, "erin", alpha, "reader")
    with erin.client(daemon) as as_erin:
        as_erin.iam.GetProject(pb.GetProjectRequest(project="alpha"))
        client.iam.DeleteRoleAssignment(pb.DeleteRoleAssignmentRequest(account="erin", project="alpha", role="member"))
        with pytest.raises(Unauthenticated) as caught:
            as_erin.iam.GetProject(pb.GetProjectRequest(project="alpha"))
        assert caught.value.reason == "TOKEN_REVOKED"
    token = login(daemon, "erin", erin.password, "alpha")
    with Client(daemon.address, token=token) as as_erin:
        response = as_erin.iam.ListRoleAssignments(pb.ListRoleAssignmentsRequest(account="erin"))
        assert [r.role for r in response.role_assignments] == ["reader"]
        with pytest.raises(PermissionDenied) as caught:
            as_erin.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="nope"))
        assert caught.value.reason == "ROLE_REQUIRED"
    for request, error in [
        (pb.CreateRoleAssignmentRequest(account="erin", project="alpha", role="owner"), InvalidArgument),
        (pb.CreateRoleAssignmentRequest(account="erin", role="member"), InvalidArgument),
        (pb.CreateRoleAssignmentRequest(account="erin", role="member", system_scope=True), InvalidArgument),
        (pb.CreateRoleAssignmentRequest(account="nobody", project="alpha", role="member"), NotFound),
        (pb.CreateRoleAssignmentRequest(account="erin", project="nowhere", role="member"), NotFound),
    ]:
        with pytest.raises(error):
            client.iam.CreateRoleAssignment(request)
    with pytest.raises(NotFound):
        client.iam.DeleteRoleAssignment(pb.DeleteRoleAssignmentRequest(account="erin", project="alpha", role="admin"))


def test_unscoped_tokens_and_project_scoping(daemon: Daemon, client: Client) -> None:
    alpha = create_project(client, "alpha")
    frank = member(daemon, client, "frank", alpha, "member")
    unscoped = login(daemon, "frank", frank.password)
    with Client(daemon.address, token=unscoped) as as_frank:
        assert as_frank.iam.GetAccount(pb.GetAccountRequest(account="frank")).account.name == "frank"
        assert [p.name for p in as_frank.iam.ListProjects(pb.ListProjectsRequest()).projects] == ["alpha"]
        with pytest.raises(PermissionDenied) as caught:
            as_frank.iam.CreateApplicationCredential(pb.CreateApplicationCredentialRequest(name="x"))
        assert caught.value.reason == "PROJECT_SCOPE_REQUIRED"
    # By name or by id.
    assert login(daemon, "frank", frank.password, alpha)
    assert login(daemon, frank.account_id, frank.password, "alpha")
    with pytest.raises(PermissionDenied) as caught:
        login(daemon, "frank", frank.password, "admin")
    assert caught.value.reason == "NO_ROLE_IN_PROJECT"
    with pytest.raises(PermissionDenied) as unknown:
        login(daemon, "frank", frank.password, "no-such-project")
    # Whether the project exists is not revealed.
    assert unknown.value.message.replace("no-such-project", "admin") == caught.value.message


def test_errors_carry_reasons_not_internal(client: Client) -> None:
    for call in (
        lambda: client.iam.GetRole(pb.GetRoleRequest(name="owner")),
        lambda: client.iam.DeleteAccount(pb.DeleteAccountRequest(account="")),
        lambda: client.iam.DeleteProject(pb.DeleteProjectRequest(project="ghost")),
        lambda: client.iam.Authenticate(pb.AuthenticateRequest()),
        lambda: client.iam.Configure(pb.ConfigureRequest(log_level="loud")),
    ):
        with pytest.raises(MulliganError) as caught:
            call()
        assert caught.value.reason not in {"INTERNAL", "UNKNOWN"}
        assert type(caught.value) in {NotFound, InvalidArgument}


def _race(calls: list[Callable[[], object]]) -> list[str]:
    """Run the calls at once; each one's outcome: OK or the error reason."""
    outcomes: list[str] = []
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            call()
        except MulliganError as exc:
            outcomes.append(exc.reason)
        else:
            outcomes.append("OK")

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_racing_creates_of_one_name_make_one_account(client: Client) -> None:
    request = pb.CreateAccountRequest(account=pb.Account(name="racer"), password="a-good-password")
    outcomes = _race([lambda: client.iam.CreateAccount(request) for _ in range(6)])
    assert outcomes == ["ACCOUNT_EXISTS"] * 5 + ["OK"]
    assert [a.name for a in _all_accounts(client)].count("racer") == 1
    project = pb.CreateProjectRequest(project=pb.Project(name="race-project"))
    assert _race([lambda: client.iam.CreateProject(project) for _ in range(4)]) == ["OK"] + ["PROJECT_EXISTS"] * 3


def test_racing_demotions_keep_a_system_admin(daemon: Daemon, client: Client) -> None:
    second, password = create_user(client, "other-admin")
    client.iam.CreateRoleAssignment(pb.CreateRoleAssignmentRequest(account=second, role="admin", system_scope=True))
    with Client(daemon.address, token=login(daemon, "other-admin", password)) as other:
        # Each admin demotes the other, at the same moment: one must stay.
        outcomes = _race(
            [
                lambda: client.iam.DeleteRoleAssignment(
                    pb.DeleteRoleAssignmentRequest(account=second, role="admin", system_scope=True)
                ),
                lambda: other.iam.DeleteRoleAssignment(
                    pb.DeleteRoleAssignmentRequest(account="admin", role="admin", system_scope=True)
                ),
            ]
        )
    assert outcomes.count("OK") == 1
    assert set(outcomes) - {"OK"} <= {"LAST_SYSTEM_ADMIN", "TOKEN_REVOKED"}
    with daemon.database.engine.connect() as connection:
        admins = connection.execute(
            sa.text("SELECT COUNT(*) FROM iam_role_assignments WHERE scope = 'system' AND role = 'admin'")
        ).scalar()
    assert admins == 1

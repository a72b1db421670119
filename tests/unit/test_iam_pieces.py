"""Small pieces of the iam module: ids, pages, passwords, roles, names."""

from __future__ import annotations

import uuid

import pytest

from mulligan.errors import InvalidArgument, NotFound
from mulligan.iam import pages, passwords, roles, validation
from mulligan.iam.ids import is_uuid, new_id


def test_ids_are_uuids_in_creation_order() -> None:
    ids = [new_id() for _ in range(50)]
    assert all(is_uuid(item) and uuid.UUID(item).version == 7 for item in ids)
    assert len(set(ids)) == 50
    # Millisecond prefixes never go backwards.
    assert [item[:13] for item in ids] == sorted(item[:13] for item in ids)


def test_page_tokens_round_trip_and_refuse_garbage() -> None:
    token = pages.encode("accounts", "abc")
    assert pages.decode("accounts", token) == "abc"
    assert pages.decode("accounts", "") is None
    for bad in ("garbage", "!!", token + "x" * 2000, pages.encode("projects", "abc")):
        with pytest.raises(InvalidArgument) as caught:
            pages.decode("accounts", bad)
        assert caught.value.reason == "INVALID_PAGE_TOKEN"


def test_page_size_defaults_and_caps() -> None:
    assert pages.page_size(0) == pages.DEFAULT_PAGE_SIZE
    assert pages.page_size(10_000) == pages.MAX_PAGE_SIZE
    with pytest.raises(InvalidArgument):
        pages.page_size(-1)


def test_passwords_hash_with_argon2id_and_verify() -> None:
    hashed = passwords.hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "correct horse")
    assert not passwords.verify_password(hashed, "wrong horse")
    assert not passwords.verify_password(None, "correct horse")
    assert not passwords.verify_password("not a hash", "correct horse")
    assert not passwords.needs_rehash(hashed)


@pytest.mark.parametrize(("password", "reason"), [("short", "PASSWORD_TOO_SHORT"), ("x" * 1025, "PASSWORD_TOO_LONG")])
def test_password_shape(password: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        passwords.check_password_shape(password)
    assert caught.value.reason == reason


def test_secrets_are_random_and_hash_compare() -> None:
    secret = passwords.new_secret()
    assert len(secret) >= 43
    assert passwords.secret_matches(passwords.hash_secret(secret), secret)
    assert not passwords.secret_matches(passwords.hash_secret(secret), secret + "x")
    assert not passwords.secret_matches(None, secret)


def test_roles_expand_down_the_chain() -> None:
    assert roles.expand(["admin"]) == {"admin", "member", "reader"}
    assert roles.expand(["member"]) == {"member", "reader"}
    assert roles.expand(["reader", "bogus"]) == {"reader"}
    assert roles.strongest(["reader", "member"]) == "member"
    with pytest.raises(NotFound):
        roles.get_role("owner")
    with pytest.raises(InvalidArgument):
        roles.check_role("owner")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "NAME_REQUIRED"),
        ("x" * 65, "NAME_TOO_LONG"),
        ("with space", "INVALID_NAME"),
        ("tab\there", "INVALID_NAME"),
        ("bell\x07", "INVALID_NAME"),
        ("1a0fd916-1e8f-4d10-9204-be76bf54e184", "INVALID_NAME"),
    ],
)
def test_bad_names_are_refused_with_a_reason(name: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validation.check_name("account name", name)
    assert caught.value.reason == reason
    assert "account name" in caught.value.message


def test_good_names_pass() -> None:
    for name in ("alice", "bob.smith@example.org", "Ünïcode-ok", "x" * 64):
        assert validation.check_name("name", name) == name

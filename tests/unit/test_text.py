"""mulligan.text: which arguments a checked class refuses, and how it names them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from mulligan.errors import InvalidArgument
from mulligan.text import checks_text, reported_text


@dataclass(frozen=True)
class Spec:
    name: str
    labels: dict[str, str]


@checks_text
class Service:
    def store(self, ref: str, spec: Spec | None = None, *, tags: list[str] | None = None) -> str:
        return ref

    @reported_text
    def apply_report(self, facts: dict[str, Any]) -> dict[str, Any]:
        return facts

    def _internal(self, value: str) -> str:
        return value


def _field(call: Any) -> str:
    with pytest.raises(InvalidArgument) as caught:
        call()
    assert caught.value.reason == "INVALID_TEXT"
    return caught.value.metadata["field"]


@pytest.mark.parametrize("bad", ["\x00", "\udcff", "\ud800x"], ids=["nul", "low-surrogate", "high-surrogate"])
def test_bad_text_anywhere_in_the_arguments_is_named(bad: str) -> None:
    service = Service()
    assert _field(lambda: service.store(f"a{bad}")) == "ref"
    assert _field(lambda: service.store("a", Spec(name=bad, labels={}))) == "spec.name"
    assert _field(lambda: service.store("a", Spec(name="n", labels={"k": bad}))) == "spec.labels['k']"
    assert _field(lambda: service.store("a", Spec(name="n", labels={bad: "v"}))) == "spec.labels key"
    assert _field(lambda: service.store("a", tags=["ok", bad])) == "tags[1]"


def test_good_text_bytes_and_marked_or_private_methods_pass() -> None:
    service = Service()
    assert service.store("naïve ☃ \t\n", Spec(name="ünï", labels={"k": "v"}), tags=["x"]) == "naïve ☃ \t\n"
    assert service.apply_report({"manufacturer": "ACME\x00\x00"}) == {"manufacturer": "ACME\x00\x00"}
    assert service._internal("\x00") == "\x00"


def test_the_message_says_where_but_never_repeats_the_text() -> None:
    with pytest.raises(InvalidArgument) as caught:
        Service().store("secret-ish\x00value")
    assert caught.value.message == "ref is not valid text: it holds a NUL character at position 10"

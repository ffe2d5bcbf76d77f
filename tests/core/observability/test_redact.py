"""Redaction: secret values and credential-shaped text never survive."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from atp_core.observability import MASK, Redactor, is_secret_key

SECRETS = st.text(alphabet=string.ascii_letters + string.digits + "-_.!$%", min_size=6, max_size=40)
TEXT = st.text(max_size=60)


@given(secret=SECRETS, before=TEXT, after=TEXT)
def test_a_planted_secret_never_survives_in_text(secret: str, before: str, after: str) -> None:
    """A configured secret anywhere in a string is masked."""
    assert secret not in Redactor([secret]).text(before + secret + after)


@given(secret=SECRETS, key=st.text(max_size=10), filler=TEXT)
def test_a_planted_secret_never_survives_in_nested_data(secret: str, key: str, filler: str) -> None:
    """Secrets inside dicts, lists, tuples and keys are masked wherever they sit."""
    data: Any = {key: [filler, (secret, {"deep": f"x{secret}y"})], secret: 1}
    assert secret not in repr(Redactor([secret]).value(data))


@given(token=st.text(alphabet=string.ascii_letters + string.digits, min_size=20, max_size=40))
def test_credential_shapes_are_masked_without_being_configured(token: str) -> None:
    """Bearer tokens, provider API keys and passwords are masked by pattern alone."""
    redactor = Redactor()
    for text in (
        f"Authorization: Bearer {token}",
        f"calling with bearer {token} now",
        f"key=sk-ant-{token}",
        f"sk-proj-{token}",
        f"ghp_{token}",
        f"xoxb-{token}",
        f"password={token}&user=bob",
        f'{{"password": "{token} with spaces"}}',
        f"Cookie: session={token}; theme=dark",
        f"Set-Cookie: sid={token}; Path=/",
        f"postgresql://atp:{token}@db:5432/atp",
        f"db_password: {token}",
        f"x-api-key: {token}",
    ):
        out = redactor.text(text)
        assert token not in out, text
        assert MASK in out


def test_aws_access_key_is_masked() -> None:
    """An AKIA… access key id is masked."""
    assert Redactor().text("id AKIAIOSFODNN7EXAMPLE ok") == f"id {MASK} ok"


def test_ordinary_text_is_left_alone() -> None:
    """Token counts, URLs without passwords and prose are not mangled."""
    text = "max_tokens=100 input_tokens: 5 https://example.com/a@b tokens used"
    assert Redactor().text(text) == text


def test_secret_keys_are_masked_whole_but_counts_are_not() -> None:
    """Values under credential-named keys are masked; token counts are kept."""
    data = {
        "api_key": "abc",
        "headers": {"Authorization": "xyz", "X-Auth-Token": "t", "Cookie": "c"},
        "client_secret": {"nested": 1},
        "input_tokens": 12,
        "password": None,
    }
    assert Redactor().value(data) == {
        "api_key": MASK,
        "headers": {"Authorization": MASK, "X-Auth-Token": MASK, "Cookie": MASK},
        "client_secret": MASK,
        "input_tokens": 12,
        "password": None,
    }


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("token", True),
        ("accessToken", True),
        ("OPENAI_API_KEY", True),
        ("x-api-key", True),
        ("set-cookie", True),
        ("db_password", True),
        ("max_tokens", False),
        ("output_tokens", False),
        ("model", False),
    ],
)
def test_secret_key_names(key: str, secret: bool) -> None:
    """Key names are judged by their words, so token counts are not credentials."""
    assert is_secret_key(key) is secret


def test_secret_objects_are_masked_by_value_and_as_values() -> None:
    """Objects with get_secret_value (config Secret) are masked as values and as secrets."""

    class Secretish:
        def get_secret_value(self) -> str:
            return "s3cr3t-value"

    redactor = Redactor([Secretish()])
    assert redactor.text("the s3cr3t-value here") == f"the {MASK} here"
    assert redactor.value({"x": Secretish()}) == {"x": MASK}

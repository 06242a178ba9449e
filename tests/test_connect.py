"""URLs are masked; connection failures are one clear error without the password."""

from __future__ import annotations

import pytest

from pgalign.connect import connect, mask_url
from pgalign.errors import ConnectError
from pgalign.server import free_port
from tests.conftest import PgServer


def test_mask_url_hides_passwords_in_every_form() -> None:
    assert mask_url("postgresql://u:hunter2@db.example:6543/app") == (
        "postgresql://u:****@db.example:6543/app"
    )
    assert "hunter2" not in mask_url("postgresql://u@h/app?password=hunter2&sslmode=require")
    assert "hunter2" not in mask_url("host=h user=u password=hunter2 dbname=app")
    assert mask_url("postgresql://u@h/app") == "postgresql://u@h/app"


def test_wrong_password_is_reported_without_the_password(pg: PgServer, db: str) -> None:
    bad = db.replace(pg.password or "", "not-the-password-xyz")
    with pytest.raises(ConnectError) as caught:
        connect(bad)
    text = caught.value.one_line()
    assert "password authentication failed" in text
    assert "not-the-password-xyz" not in text


def test_unreachable_host_is_one_clear_error() -> None:
    url = f"postgresql://u:pw-zzz@127.0.0.1:{free_port()}/app"
    with pytest.raises(ConnectError) as caught:
        connect(url)
    text = caught.value.one_line()
    assert text.startswith("cannot connect to 127.0.0.1:")
    assert "pw-zzz" not in text

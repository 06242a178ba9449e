"""Connection URLs (masked for display), connections, read-only sessions, timeouts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import conninfo

from pgalign.errors import ConnectError

MASK = "****"
Conn = psycopg.Connection[Any]
CONNECT_TIMEOUT_S = 10


def mask_url(url: str) -> str:
    """Return `url` with any password replaced by ****, for display."""
    if "://" in url:
        parts = urlsplit(url)
        if parts.password is not None:
            user = parts.username or ""
            host = parts.hostname or ""
            if parts.port is not None:
                host = f"{host}:{parts.port}"
            netloc = f"{user}:{MASK}@{host}"
            parts = parts._replace(netloc=netloc)
        masked = urlunsplit(parts)
        return _mask_query_password(masked)
    try:
        params = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return MASK
    if "password" in params:
        params["password"] = MASK
    return conninfo.make_conninfo("", **params)


def _mask_query_password(url: str) -> str:
    # libpq also accepts ?password=... in URLs.
    return re.sub(r"([?&]password=)[^&]*", rf"\g<1>{MASK}", url)


def scrub(text: str, url: str) -> str:
    """Remove the password of `url` from a message (libpq may echo parts of it)."""
    password = _password_of(url)
    # A password of a few characters would mask ordinary words ("p" in "accepting"); such a
    # password is no secret worth mangling every message for.
    if password and len(password) >= 4:
        text = text.replace(password, MASK)
    return text


def error_line(exc: psycopg.Error, url: str | None = None) -> str:
    """PostgreSQL's primary message of an error, one line, password removed."""
    diag = exc.diag
    message = (diag.message_primary if diag is not None else None) or str(exc).strip()
    line = message.splitlines()[0] if message else type(exc).__name__
    return scrub(line, url) if url else line


def _password_of(url: str) -> str | None:
    try:
        value = conninfo.conninfo_to_dict(url).get("password")
    except psycopg.ProgrammingError:
        return None
    return str(value) if value else None


def describe_target(url: str) -> str:
    """host:port/dbname of a URL, without credentials, for messages."""
    try:
        params = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return mask_url(url)
    host = str(params.get("host") or "localhost")
    port = str(params.get("port") or "5432")
    db = str(params.get("dbname") or params.get("user") or "")
    return f"{host}:{port}/{db}"


def connect(url: str, *, autocommit: bool = False, application_name: str = "pgalign") -> Conn:
    """Open a connection, turning libpq's failures into one clear ConnectError."""
    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=application_name,
        )
    except psycopg.OperationalError as exc:
        raise ConnectError(_connect_message(url, exc), _connect_hint(str(exc))) from None
    except psycopg.ProgrammingError as exc:
        raise ConnectError(
            f"invalid database URL {mask_url(url)}: {scrub(str(exc), url)}",
            "use postgresql://user:password@host:port/dbname",
        ) from None


def _connect_message(url: str, exc: Exception) -> str:
    lines = [line.strip() for line in scrub(str(exc), url).strip().splitlines() if line.strip()]
    # libpq says 'connection failed: connection to server at "h", port p failed: REASON',
    # then a hint line; keep REASON and the hint, drop what the target already says.
    parts = [
        re.sub(r"^(connection failed: )?(connection to server .*? failed: )?(FATAL: +)?", "", line)
        for line in lines
    ]
    reason = "; ".join(part for part in parts if part) or "unknown error"
    return f"cannot connect to {describe_target(url)}: {reason}"


def _connect_hint(text: str) -> str:
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "check the user and password in the URL or the environment variable it comes from"
    if "does not exist" in lowered:
        return "check the database name in the URL"
    return "check that the server is running and the host and port are right"


@contextmanager
def read_only(
    conn: Conn,
) -> Iterator[Conn]:
    """A transaction in which the server refuses any write; always rolled back."""
    with conn.transaction(force_rollback=True):
        conn.execute("SET TRANSACTION READ ONLY")
        yield conn

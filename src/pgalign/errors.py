"""One exception hierarchy; the CLI turns any of these into one line and exit status 2."""

from __future__ import annotations


class PgalignError(Exception):
    """Base of every error pgalign reports to a user.

    The message says what went wrong and where; `hint` says how to fix it.
    """

    def __init__(
        self, message: str, hint: str | None = None, details: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = details or []  # further lines, e.g. one per problem with its fix

    def one_line(self) -> str:
        text = self.message.replace("\n", " ").strip()
        if self.hint:
            text = f"{text} (fix: {self.hint})"
        return text


class ConfigError(PgalignError):
    """pgalign.toml, an environment name or a ${VAR} is wrong."""


class ConnectError(PgalignError):
    """A database could not be reached or refused the login."""


class MigrationFileError(PgalignError):
    """A migration file cannot be read or parsed."""


class MigrationFailed(PgalignError):
    """A statement of a migration failed while it was applied."""

    def __init__(self, message: str, hint: str | None = None, version: str | None = None) -> None:
        super().__init__(message, hint)
        self.version = version  # of the migration whose statement failed, when known


class HistoryError(PgalignError):
    """The migration history of an environment forbids the asked operation."""


class ServerError(PgalignError):
    """An embedded or system PostgreSQL server could not be started or used."""


class SchemaSourceError(PgalignError):
    """A schema to compare (a SQL file, an environment, a URL) could not be read."""

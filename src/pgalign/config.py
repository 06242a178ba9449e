"""Project discovery: pgalign.toml, [tool.pgalign] or a plain Supabase layout -> Project."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pgalign.errors import ConfigError

EMBEDDED = "embedded"
DEFAULT_LOCK_TIMEOUT = "10s"
DEFAULT_STATEMENT_TIMEOUT = "30min"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Environment:
    name: str
    url: str  # as configured: may be "embedded" or hold ${VAR}
    protected: bool = False
    config_file: Path | None = None

    @property
    def is_embedded(self) -> bool:
        """`embedded` (database postgres) or `embedded:NAME` on the project's own server."""
        return self.url == EMBEDDED or self.url.startswith(EMBEDDED + ":")

    @property
    def embedded_database(self) -> str:
        return self.url.partition(":")[2] or "postgres"

    def resolved_url(self) -> str:
        """The URL with ${VAR} read from the process environment."""

        def expand(match: re.Match[str]) -> str:
            var = match.group(1)
            value = os.environ.get(var)
            if value is None:
                where = f" in {self.config_file}" if self.config_file else ""
                raise ConfigError(
                    f"environment variable {var} is not set (url of environment "
                    f"'{self.name}'{where})",
                    f"export {var}=postgresql://... or change the url",
                )
            return value

        return _VAR.sub(expand, self.url)


@dataclass(frozen=True)
class Project:
    root: Path
    migrations_dir: Path
    environments: dict[str, Environment] = field(default_factory=dict)
    config_file: Path | None = None
    is_supabase: bool = False
    seed_file: Path | None = None
    lock_timeout: str = DEFAULT_LOCK_TIMEOUT
    statement_timeout: str = DEFAULT_STATEMENT_TIMEOUT
    shadow_url: str | None = None

    @property
    def state_dir(self) -> Path:
        """Where pgalign keeps its own files (embedded data, caches, backups)."""
        return self.root / ".pgalign"

    def environment(self, name: str) -> Environment:
        if name in self.environments:
            return self.environments[name]
        if name == "local":
            return Environment("local", EMBEDDED)
        known = ", ".join(sorted(self.environments)) or "none configured"
        where = self.config_file or self.root / "pgalign.toml"
        raise ConfigError(
            f"unknown environment '{name}' (known: {known})",
            f"add [environments.{name}] with a url to {where}, or pass --db-url",
        )


def _find_root(start: Path) -> Path:
    for candidate in [start, *start.parents]:
        if (candidate / "pgalign.toml").is_file() or (
            candidate / "supabase" / "config.toml"
        ).is_file():
            return candidate
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "pgalign" in _read_toml(pyproject).get("tool", {}):
            return candidate
    return start


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}", "fix the syntax of that file") from None


def load_project(start: Path | None = None) -> Project:
    """Find the project at or above `start` (default: the working directory) and read it."""
    root = _find_root((start or Path.cwd()).resolve())
    settings: dict[str, Any] = {}
    config_file: Path | None = None
    if (root / "pgalign.toml").is_file():
        config_file = root / "pgalign.toml"
        settings = _read_toml(config_file)
    elif (root / "pyproject.toml").is_file():
        tool = _read_toml(root / "pyproject.toml").get("tool", {})
        if "pgalign" in tool:
            config_file = root / "pyproject.toml"
            settings = tool["pgalign"]
    # A Supabase project has supabase/config.toml; `supabase = false` opts out of its
    # platform stand-ins (a plain PostgreSQL project that borrows the directory layout).
    supabase = settings.get("supabase", (root / "supabase" / "config.toml").is_file())
    if not isinstance(supabase, bool):
        raise ConfigError(f"'supabase' in {config_file} must be true or false")
    is_supabase = supabase
    has_supabase_dir = (root / "supabase").is_dir()
    default_dir = "supabase/migrations" if has_supabase_dir or not config_file else "migrations"
    migrations_dir = root / _string(settings, "migrations_dir", default_dir, config_file)
    seed = root / _string(settings, "seed_file", "supabase/seed.sql", config_file)
    environments = _environments(settings.get("environments", {}), config_file)
    return Project(
        root=root,
        migrations_dir=migrations_dir,
        environments=environments,
        config_file=config_file,
        is_supabase=is_supabase,
        seed_file=seed if seed.is_file() else None,
        lock_timeout=_string(settings, "lock_timeout", DEFAULT_LOCK_TIMEOUT, config_file),
        statement_timeout=_string(
            settings, "statement_timeout", DEFAULT_STATEMENT_TIMEOUT, config_file
        ),
        shadow_url=os.environ.get("PGALIGN_SHADOW_URL") or settings.get("shadow_url"),
    )


def _string(settings: dict[str, Any], key: str, default: str, where: Path | None) -> str:
    value = settings.get(key, default)
    if not isinstance(value, str):
        raise ConfigError(f"'{key}' in {where} must be a string, not {type(value).__name__}")
    return value


def _environments(table: Any, config_file: Path | None) -> dict[str, Environment]:
    if not isinstance(table, dict):
        raise ConfigError(f"[environments] in {config_file} must be a table")
    result: dict[str, Environment] = {}
    for name, entry in table.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise ConfigError(
                f"environment '{name}' in {config_file} has no url",
                f'add url = "postgresql://..." under [environments.{name}]',
            )
        protected = entry.get("protected", False)
        if not isinstance(protected, bool):
            raise ConfigError(
                f"'protected' of environment '{name}' in {config_file} must be true or false"
            )
        result[name] = Environment(name, entry["url"], protected, config_file)
    return result

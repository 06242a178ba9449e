"""migra's own test inputs converge: a to b, b to a, empty to b and b to empty."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from pgalign.catalog.inspect import inspect
from pgalign.catalog.scope import Scope
from tests.conftest import PgServer
from tests.diff.converge import assert_converges, databases, ensure_roles

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "migra"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/migra")
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
# singleschema_ext is migra's single-schema case with extensions: same scope.
SCOPES = {"singleschema_ext": Scope.of(["goodschema"])}


def _scope(case: Path) -> Scope:
    if case.name in SCOPES:
        return SCOPES[case.name]
    scope_file = case / "scope"
    if not scope_file.exists():
        return Scope()
    flag, schema = scope_file.read_text().split()
    return Scope.of([schema]) if flag == "--schema" else Scope.of(None, [schema])


def _skip_if_unsupported(pg: PgServer, sql: str) -> None:
    text = sql.lower()
    for extension in ("pg_trgm", "citext", "hstore"):
        if f"extension {extension}" in text:
            pg.require_extension(extension)
    with psycopg.connect(pg.admin_url) as conn:
        if "provider = icu" in text:
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(
                        "CREATE COLLATION pgalign_icu_probe (provider = icu, locale = 'en')"
                    )
            except psycopg.errors.FeatureNotSupported:
                pytest.skip(f"{pg.label} is built without ICU")
        for name, version in (("pg_trgm", "1.3"), ("citext", "1.5")):
            if f"{name} version '{version}'" in text:
                found = conn.execute(
                    "SELECT 1 FROM pg_available_extension_versions WHERE name = %s "
                    "AND version = %s",
                    (name, version),
                ).fetchone()
                if found is None:
                    pytest.skip(f"{pg.label} lacks {name} version {version}")


@pytest.mark.skipif(not CASES, reason="the migra corpus is not checked out beside the repo")
@pytest.mark.parametrize("case", CASES)
def test_corpus_case_converges_in_every_direction(pg: PgServer, case: str) -> None:
    folder = CORPUS / case
    a_sql = (folder / "a.sql").read_text()
    b_sql = (folder / "b.sql").read_text()
    additions = folder / "additions.sql"
    if additions.exists():
        a_sql += "\n" + additions.read_text()
    _skip_if_unsupported(pg, a_sql + b_sql)
    ensure_roles(pg.admin_url)
    scope = _scope(folder)
    with databases(pg) as dbs:
        a, b = dbs.create(a_sql), dbs.create(b_sql)
        catalogs = {"a": inspect(a, scope=scope), "b": inspect(b, scope=scope)}
        catalogs["empty"] = inspect(dbs.create(), scope=scope)
        # One database walks a -> b -> empty -> b -> a: each step starts from a catalog
        # proven equal to its side's, and a plan depends on the catalogs only.
        walker = dbs.copy(a)
        for source, target in (("a", "b"), ("b", "empty"), ("empty", "b"), ("b", "a")):
            try:
                assert_converges(walker, catalogs[target], scope)
            except AssertionError as exc:
                raise AssertionError(f"{case}: {source} -> {target}: {exc}") from None

"""Catalogs kept on disk between runs, found again by a stamp of the system catalogs.

Every change to a schema writes rows of the system catalogs, and PostgreSQL stores each
written row version at a new place (ctid) with the id of the transaction that wrote it
(xmin); transaction ids are never reused within a server. A hash over (xmin, ctid) of every
row of every catalog that inspection reads, together with the server's identity, therefore
changes whenever anything inspection could report changes, and an equal stamp means a
stored Catalog is still exact. Reading the stamp is one sequential pass over those catalogs
(tens of milliseconds where a full inspection takes hundreds). A database cloned from a
template has its template's rows, so it shares its template's entry: the schema is the same.

Set PGALIGN_NO_CACHE=1 to bypass the cache, PGALIGN_CACHE_DIR to move it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import threading
import time
import weakref
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pgalign import __version__, lifetime

if TYPE_CHECKING:
    from pgalign.catalog.model import Catalog
    from pgalign.catalog.scope import Scope

CACHE_DIR_ENV = "PGALIGN_CACHE_DIR"
NO_CACHE_ENV = "PGALIGN_NO_CACHE"
FORMAT = "pgalign-catalog-3"  # also names the fingerprint algorithm: bump with it
KEEP_ENTRIES = 200  # the least recently used beyond this are removed
ABANDONED_AFTER_S = 3600  # a partly written entry this old was interrupted: removed

# Every catalog whose rows inspection reads or the server's deparsers consult (names of
# operators, opclasses, text search configurations appear inside definitions).
STAMPED = (
    "pg_aggregate",
    "pg_am",
    "pg_attrdef",
    "pg_attribute",
    "pg_cast",
    "pg_class",
    "pg_collation",
    "pg_constraint",
    "pg_default_acl",
    "pg_depend",
    "pg_description",
    "pg_enum",
    "pg_event_trigger",
    "pg_extension",
    "pg_foreign_data_wrapper",
    "pg_foreign_server",
    "pg_foreign_table",
    "pg_index",
    "pg_inherits",
    "pg_language",
    "pg_namespace",
    "pg_opclass",
    "pg_operator",
    "pg_partitioned_table",
    "pg_policy",
    "pg_proc",
    "pg_publication",
    "pg_publication_rel",
    "pg_range",
    "pg_rewrite",
    "pg_sequence",
    "pg_statistic_ext",
    "pg_trigger",
    "pg_ts_config",
    "pg_ts_config_map",
    "pg_ts_dict",
    "pg_ts_parser",
    "pg_ts_template",
    "pg_type",
)
SINCE_15 = ("pg_publication_namespace",)


def enabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


# Some managed servers revoke it: the stamp then cannot be read, and the cache is not used.
CAN_STAMP = b"SELECT has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')"


def stamp_query(server_version: int) -> bytes:
    """One row: the server's identity and a hash of the stamped catalogs' row versions.

    Role names come from pg_roles (pg_authid is not readable by everyone): owners and
    grantees are printed by name."""
    catalogs = STAMPED + (SINCE_15 if server_version >= 150000 else ())
    row_hash = _row_hash(server_version)
    parts = " UNION ALL ".join(
        f"SELECT '{name}', count(*), {row_hash}::text FROM pg_catalog.{name}" for name in catalogs
    )
    return (
        "SELECT (SELECT system_identifier FROM pg_catalog.pg_control_system())::text,"
        " current_setting('server_version_num'), current_user::text,"
        " current_setting('quote_all_identifiers'),"
        " (SELECT md5(string_agg(oid::text || ':' || rolname, ',' ORDER BY oid))"
        "    FROM pg_catalog.pg_roles),"
        f" (SELECT md5(string_agg(c || ':' || n || ':' || coalesce(h, ''), ',' ORDER BY c))"
        f"    FROM ({parts}) AS s(c, n, h))"
    ).encode()


def _row_hash(server_version: int) -> str:
    """A catalog's row versions folded into one value. Each row's (xmin, ctid) is hashed
    (xmin alone would let rows of one transaction cancel out in the XOR), without text
    where the server allows: about 40% of the stamp's time on a 1,000-table schema."""
    if server_version >= 160000:  # hashxidextended arrived in 16, bit_xor in 14
        return "bit_xor(hashtidextended(ctid, hashxidextended(xmin, 0)))"
    if server_version >= 140000:
        return "bit_xor(hashtidextended(ctid, xmin::text::bigint))"
    return "sum(hashtextextended(xmin::text || ctid::text, 0)::numeric)"


def entry_key(stamp: Iterable[object], scope: Scope, queries: str) -> str:
    """The file name of a catalog: the stamp, the scope, and this pgalign's own queries."""
    material = repr((FORMAT, __version__, tuple(stamp), _scoped(scope), queries))
    return hashlib.sha256(material.encode()).hexdigest()


class Pointer:
    """The entry a database (as a client reaches it) had last time, so that it can be
    loaded while the stamp is computed; a guess, never trusted without the stamp."""

    def __init__(self, identity: str, scope: Scope) -> None:
        name = hashlib.sha256(repr((FORMAT, identity, _scoped(scope))).encode()).hexdigest()
        self.path = directory() / f"{name}.last"

    def key(self) -> str | None:
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text or None

    def set(self, key: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.path.write_text(key, encoding="ascii")
        except OSError:
            return


def _scoped(scope: Scope) -> tuple[object, ...]:
    return (
        sorted(scope.schemas) if scope.schemas is not None else None,
        sorted(scope.exclude),
        scope.exclude_managed,
    )


def directory() -> Path:
    given = os.environ.get(CACHE_DIR_ENV)
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pgalign" / "catalogs"


def load(key: str) -> Catalog | None:
    """The catalog stored under `key`, or None (absent or unreadable: inspect again)."""
    pending = _pending.get(key)
    if pending is not None:
        return pending
    path = directory() / f"{key}.catalog"
    try:
        data = zlib.decompress(path.read_bytes())
        # tens of thousands of small objects: collections midway only cost time
        collecting = gc.isenabled()
        gc.disable()
        try:
            catalog = pickle.loads(data)
        finally:
            if collecting:  # the console process runs without the collector: keep it off
                gc.enable()
        os.utime(path)  # recently used: kept by the pruning
    except (OSError, zlib.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None
    from pgalign.catalog.model import Catalog

    return catalog if isinstance(catalog, Catalog) else None


def store(key: str, catalog: Catalog) -> None:
    """Keep `catalog` under `key`. A cache that cannot be written is silently skipped: it
    only ever saves time."""
    if lifetime.SHORT_LIVED and hasattr(os, "fork"):
        # A console process has forked children write its entries once its output is out
        # (see _write_pending); load() meanwhile finds them here.
        _pending[key] = catalog
        lifetime.after_command(_write_pending)
    else:
        _write(key, catalog)


_pending: dict[str, Catalog] = {}


def _write_pending() -> None:
    """One child per entry, forked as the command ends: the children share the cores, and
    the parent, which only exits after this, never pays for the pages a fork makes it copy
    (freeing a catalog beside a live child copied most of the heap: 20 ms a connection)."""
    # The entries stay in _pending: freeing a catalog would cost more than the fork (its
    # objects one by one, and each page copied since a child shares it), and the process
    # is about to end.
    for key, catalog in _pending.items():
        if not _store_in_child(key, catalog):
            _write(key, catalog)


def _store_in_child(key: str, catalog: Catalog) -> bool:
    """Write the entry in a child process; False if there can be none."""
    try:
        pid = os.fork()
    except (OSError, Warning):  # 3.12+ warns of a fork beside threads (an error with -W error)
        return False
    if pid == 0:  # the child: pickling and system calls only, none of which takes a lock
        try:
            # let go of the parent's output: whoever reads it waits for the parent alone
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            _write(key, catalog)
        finally:
            os._exit(0)
    return True


def _write(key: str, catalog: Catalog) -> None:
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = zlib.compress(pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL), 1)
        # a name of this writer's own: two sides of one diff can share an entry
        partial = folder / f"{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(data)
        os.replace(partial, folder / f"{key}.catalog")
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.catalog"), key=_mtime, reverse=True)
    for stale in entries[KEEP_ENTRIES:]:
        stale.unlink(missing_ok=True)
        stale.with_suffix(".fingerprint").unlink(missing_ok=True)
    pointers = sorted(folder.glob("*.last"), key=_mtime, reverse=True)
    for stale in pointers[KEEP_ENTRIES:]:
        stale.unlink(missing_ok=True)
    for partial in folder.glob("*.tmp"):  # a writer interrupted long ago
        if _mtime(partial) < time.time() - ABANDONED_AFTER_S:
            partial.unlink(missing_ok=True)


# The entry each catalog in memory came from (by id, while it lives): its fingerprint,
# once computed, is stored beside it, so later runs compare without loading catalogs.
_keys: dict[int, str] = {}
_reused: set[int] = set()  # ids of those loaded from the cache, not read


def remember_key(catalog: Catalog, key: str, reused: bool) -> None:
    if id(catalog) not in _keys:
        _keys[id(catalog)] = key
        if reused:
            _reused.add(id(catalog))
        weakref.finalize(catalog, _forget, id(catalog))


def _forget(catalog_id: int) -> None:
    _keys.pop(catalog_id, None)
    _reused.discard(catalog_id)


def key_of(catalog: Catalog) -> str | None:
    return _keys.get(id(catalog))


def was_reused(catalog: Catalog) -> bool:
    """Whether `catalog` came from the cache: its entry is one that does get used again."""
    return id(catalog) in _reused


def load_fingerprint(key: str) -> str | None:
    try:
        text = (directory() / f"{key}.fingerprint").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def store_fingerprint(key: str, fingerprint: str) -> None:
    path = directory() / f"{key}.fingerprint"
    if not path.with_suffix(".catalog").is_file():
        return  # no entry to go with (the cache is off, or could not be written)
    try:
        path.write_text(fingerprint, encoding="ascii")
    except OSError:
        return


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0

"""The hazards a statement can carry, each with a reason a person can act on."""

from __future__ import annotations

from pgalign.diff.plan import Hazard

DELETES_DATA = "deletes_data"
REWRITES_TABLE = "rewrites_table"
ACCESS_EXCLUSIVE_LOCK = "access_exclusive_lock"
BLOCKS_WRITES = "blocks_writes"
AUTHZ_CHANGE = "authz_change"
UNTRACKED_DEPENDENCY = "untracked_dependency"


def deletes_data(what: str) -> Hazard:
    return Hazard(DELETES_DATA, f"{what} and the data in it are lost")


def credentials_lost(what: str) -> Hazard:
    return Hazard(
        DELETES_DATA,
        f"{what} and the credentials in it are lost: pgalign never reads them, so it cannot"
        " create it again (do it by hand)",
    )


def emptied(view: str) -> Hazard:
    return Hazard(DELETES_DATA, f"{view} is emptied, and cannot be read until its next REFRESH")


def rewrites_table(table: str, why: str) -> Hazard:
    return Hazard(REWRITES_TABLE, f"{why} may rewrite {table} and all its indexes")


def exclusive_lock(table: str) -> Hazard:
    return Hazard(
        ACCESS_EXCLUSIVE_LOCK, f"locks {table} against reads and writes until the transaction ends"
    )


def blocks_writes(table: str, why: str) -> Hazard:
    return Hazard(BLOCKS_WRITES, f"{why} blocks writes to {table} while it runs")


def authz(why: str) -> Hazard:
    return Hazard(AUTHZ_CHANGE, why)


def untracked(why: str) -> Hazard:
    return Hazard(UNTRACKED_DEPENDENCY, why)

"""Which statements take an ACCESS EXCLUSIVE lock on a table other sessions already use.

Follows PostgreSQL's AlterTableGetLockLevel and the lock levels in its documentation. SET/RESET
of storage parameters counts as weaker: the common ones (fillfactor, autovacuum_*) take SHARE
UPDATE EXCLUSIVE.
"""

from __future__ import annotations

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, ObjectType
from pglast.enums.lockdefs import AccessExclusiveLock

from pgalign.lint.context import FileContext
from pgalign.lint.nodes import display, name_key, table_key

# ALTER TABLE sub-commands that take a weaker lock (SHARE UPDATE EXCLUSIVE or SHARE ROW
# EXCLUSIVE), so readers are not blocked.
_WEAKER_ALTERS = {
    AlterTableType.AT_SetStatistics,
    AlterTableType.AT_SetOptions,
    AlterTableType.AT_ResetOptions,
    AlterTableType.AT_SetRelOptions,
    AlterTableType.AT_ResetRelOptions,
    AlterTableType.AT_ClusterOn,
    AlterTableType.AT_DropCluster,
    AlterTableType.AT_ValidateConstraint,
    AlterTableType.AT_AttachPartition,
    AlterTableType.AT_EnableTrig,
    AlterTableType.AT_EnableAlwaysTrig,
    AlterTableType.AT_EnableReplicaTrig,
    AlterTableType.AT_EnableTrigAll,
    AlterTableType.AT_EnableTrigUser,
    AlterTableType.AT_DisableTrig,
    AlterTableType.AT_DisableTrigAll,
    AlterTableType.AT_DisableTrigUser,
}
_DROPPED_RELATIONS = {
    ObjectType.OBJECT_TABLE,
    ObjectType.OBJECT_INDEX,
    ObjectType.OBJECT_VIEW,
    ObjectType.OBJECT_MATVIEW,
    ObjectType.OBJECT_SEQUENCE,
    ObjectType.OBJECT_FOREIGN_TABLE,
}

# Dropping these locks the table they belong to (RemovePolicyById, RemoveTriggerById).
_DROPPED_FROM_TABLE = {ObjectType.OBJECT_POLICY, ObjectType.OBJECT_TRIGGER, ObjectType.OBJECT_RULE}


def access_exclusive_target(node: ast.Node, ctx: FileContext) -> str | None:
    """The existing relation `node` locks ACCESS EXCLUSIVE, or None if it does not."""
    if isinstance(node, ast.AlterTableStmt):
        if not ctx.is_new(node.relation) and any(_alter_is_exclusive(c) for c in node.cmds or ()):
            return display(table_key(node.relation))
    elif isinstance(node, ast.DropStmt):
        return _dropped_from_existing(node, ctx)
    elif isinstance(node, ast.TruncateStmt | ast.LockStmt):
        return _first_existing(node.relations, ctx) if _locks_exclusively(node) else None
    elif isinstance(node, ast.RenameStmt | ast.CreatePolicyStmt | ast.AlterPolicyStmt):
        relation = node.relation if isinstance(node, ast.RenameStmt) else node.table
        if relation is not None and not ctx.is_new(relation):
            return display(table_key(relation))
    elif isinstance(node, ast.ClusterStmt) or (
        isinstance(node, ast.RefreshMatViewStmt) and not node.concurrent
    ):
        return _first_existing((node.relation,), ctx)
    return None


def _dropped_from_existing(node: ast.DropStmt, ctx: FileContext) -> str | None:
    """The first existing table a DROP locks: the relation itself, or the table of a policy,
    trigger or rule (written `name ON table`, parsed as (..., table, name))."""
    if node.removeType in _DROPPED_RELATIONS and not node.concurrent:
        keys = [name_key(parts) for parts in node.objects or ()]
    elif node.removeType in _DROPPED_FROM_TABLE:
        keys = [name_key(parts[:-1]) for parts in node.objects or ()]
    else:
        return None
    existing = [key for key in keys if key not in ctx.new_tables]
    return display(existing[0]) if existing else None


def _locks_exclusively(node: ast.TruncateStmt | ast.LockStmt) -> bool:
    # LOCK TABLE without IN ... MODE takes ACCESS EXCLUSIVE; TRUNCATE always does.
    return isinstance(node, ast.TruncateStmt) or node.mode == AccessExclusiveLock


def _first_existing(relations: tuple[object, ...] | None, ctx: FileContext) -> str | None:
    for relation in relations or ():
        if isinstance(relation, ast.RangeVar) and not ctx.is_new(relation):
            return display(table_key(relation))
    return None


def _alter_is_exclusive(cmd: object) -> bool:
    if not isinstance(cmd, ast.AlterTableCmd) or cmd.subtype in _WEAKER_ALTERS:
        return False
    if cmd.subtype == AlterTableType.AT_DetachPartition:
        return not (isinstance(cmd.def_, ast.PartitionCmd) and cmd.def_.concurrent)
    if cmd.subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
        return cmd.def_.contype != ConstrType.CONSTR_FOREIGN  # foreign keys: SHARE ROW EXCLUSIVE
    return True

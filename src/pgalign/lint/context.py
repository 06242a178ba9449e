"""What the statements before the current one did, within one migration file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pglast import ast
from pglast.enums import AlterTableType, ObjectType, TransactionStmtKind, VariableSetKind

from pgalign.lint.nodes import TableKey, alter_commands, display, table_key

_OPENS = {TransactionStmtKind.TRANS_STMT_BEGIN, TransactionStmtKind.TRANS_STMT_START}
_CLOSES = {
    TransactionStmtKind.TRANS_STMT_COMMIT,
    TransactionStmtKind.TRANS_STMT_ROLLBACK,
    TransactionStmtKind.TRANS_STMT_PREPARE,
}
# Values that leave lock_timeout off (0 means wait forever).
_NO_TIMEOUT = {"0", "0s", "0ms"}


@dataclass
class FileContext:
    new_tables: set[TableKey] = field(default_factory=set)  # created earlier in this file
    in_transaction: bool = False  # inside a BEGIN ... COMMIT written in the file
    lock_timeout_set: bool = False
    lock_timeout_reported: bool = False  # require-lock-timeout speaks once per file

    def is_new(self, relation: ast.RangeVar | None) -> bool:
        """Whether `relation` was created earlier in this file, so nobody else uses it yet."""
        key = table_key(relation)
        return key is not None and key in self.new_tables

    def existing_table_commands(
        self, node: ast.Node, *subtypes: AlterTableType
    ) -> Iterator[tuple[str, ast.AlterTableCmd]]:
        """(table, command) for ALTER TABLE sub-commands on a table that existed before."""
        if isinstance(node, ast.AlterTableStmt) and not self.is_new(node.relation):
            table = display(table_key(node.relation))
            for cmd in alter_commands(node, *subtypes):
                yield table, cmd

    def observe(self, node: ast.Node) -> None:
        """Take note of what `node` changes, after the rules have looked at it."""
        if isinstance(node, ast.CreateStmt):
            self._add(table_key(node.relation))
        elif isinstance(node, ast.CreateTableAsStmt) and node.into is not None:
            self._add(table_key(node.into.rel))
        elif isinstance(node, ast.RenameStmt) and node.renameType == ObjectType.OBJECT_TABLE:
            old = table_key(node.relation)
            if old is not None and old in self.new_tables and node.newname:
                self._add((old[0], node.newname))
        elif isinstance(node, ast.TransactionStmt):
            if node.kind in _OPENS:
                self.in_transaction = True
            elif node.kind in _CLOSES:
                self.in_transaction = False
        elif isinstance(node, ast.VariableSetStmt) and node.name == "lock_timeout":
            self.lock_timeout_set = _sets_timeout(node)
        elif isinstance(node, ast.SelectStmt):
            value = _set_config_lock_timeout(node)
            if value is not None:
                self.lock_timeout_set = value not in _NO_TIMEOUT

    def _add(self, key: TableKey | None) -> None:
        if key is not None:
            self.new_tables.add(key)


def _sets_timeout(node: ast.VariableSetStmt) -> bool:
    if node.kind != VariableSetKind.VAR_SET_VALUE:
        return False  # RESET, SET ... TO DEFAULT
    return _constant(node.args[0] if node.args else None) not in (None, *_NO_TIMEOUT)


def _set_config_lock_timeout(node: ast.SelectStmt) -> str | None:
    """The value of `SELECT set_config('lock_timeout', value, ...)`, if that is what it is."""
    for target in node.targetList or ():
        call = target.val if isinstance(target, ast.ResTarget) else None
        if not isinstance(call, ast.FuncCall) or not call.args or len(call.args) < 2:
            continue
        names = [n.sval for n in call.funcname or () if isinstance(n, ast.String)]
        if names[-1:] == ["set_config"] and _constant(call.args[0]) == "lock_timeout":
            return _constant(call.args[1])
    return None


def _constant(node: object) -> str | None:
    if isinstance(node, ast.A_Const) and node.val is not None:
        value = node.val
        if isinstance(value, ast.String):
            return value.sval
        if isinstance(value, ast.Integer):
            return str(value.ival)
    return None

"""A synthetic, deterministic PostgreSQL schema for benchmarks, printed as SQL.

At the default scale (1,000 tables) it holds 1,000 tables of 10 columns, 500 foreign keys,
1,000 indexes (beside the primary keys), 200 views, 100 functions, 50 enums and 200 tables
with row level security and two policies each; every count scales with the number of
tables. The `changed` variant is the same schema after a dozen realistic changes.

    python benchmarks/gen_schema.py --tables 1000 > base.sql
    python benchmarks/gen_schema.py --tables 1000 --variant changes > changes.sql
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_TABLES = 1000
DEFAULT_SEED = 20261121
ROLE = "bench_app"
WORDS = [
    "draft",
    "active",
    "paused",
    "archived",
    "pending",
    "shipped",
    "refunded",
    "open",
    "closed",
    "blocked",
    "review",
    "approved",
    "rejected",
    "queued",
    "running",
    "failed",
    "done",
    "cancelled",
    "trial",
    "premium",
]
INDEX_KINDS = 5  # unique name, owner+created, partial created, gin payload, ref_id
GIN_KIND = 3
RLS_EVERY = 5  # every 5th table has row level security
GRANT_EVERY = 10  # every 10th table is granted to ROLE
FOREIGN_KEY_EVERY = 2  # every 2nd table references an earlier one
OWNER_CHECK = "owner_id = nullif(current_setting('app.user_id', true), '')::uuid"

Unit = tuple[str, ...]  # statements that belong together (one object and its parts)


@dataclass(frozen=True)
class Scale:
    """How many objects of each kind a schema of `tables` tables holds."""

    tables: int

    @property
    def foreign_keys(self) -> int:
        return len(range(1, self.tables, FOREIGN_KEY_EVERY))

    @property
    def indexes(self) -> int:
        return self.tables

    @property
    def views(self) -> int:
        return max(1, self.tables // 5)

    @property
    def functions(self) -> int:
        return max(1, self.tables // 10)

    @property
    def enums(self) -> int:
        return max(1, self.tables // 20)

    @property
    def rls_tables(self) -> int:
        return len(range(0, self.tables, RLS_EVERY))

    def summary(self) -> str:
        return (
            f"{self.tables} tables, {self.foreign_keys} foreign keys, {self.indexes} indexes, "
            f"{self.views} views, {self.functions} functions, {self.enums} enums, "
            f"{self.rls_tables} tables with RLS ({2 * self.rls_tables} policies)"
        )


@dataclass(frozen=True)
class Schema:
    """The base schema as units in a loadable order, and the dozen changes to it."""

    scale: Scale
    units: list[Unit] = field(default_factory=list)
    changes: list[Unit] = field(default_factory=list)

    def base_sql(self) -> str:
        return render(self.units)

    def changes_sql(self) -> str:
        return render(self.changes)

    def changed_sql(self) -> str:
        return render([*self.units, *self.changes])


def render(units: Sequence[Unit]) -> str:
    return "".join(statement + ";\n" for unit in units for statement in unit)


def table_name(i: int) -> str:
    return f"t_{i:05d}"


def enum_name(i: int) -> str:
    return f"e_{i:03d}"


def view_name(i: int) -> str:
    return f"v_{i:04d}"


def function_name(i: int) -> str:
    return f"fn_{i:04d}"


def has_rls(i: int) -> bool:
    return i % RLS_EVERY == 0


def is_granted(i: int) -> bool:
    return i % GRANT_EVERY == 0


def generate(tables: int = DEFAULT_TABLES, seed: int = DEFAULT_SEED) -> Schema:
    """The schema of `tables` tables; equal arguments give equal SQL."""
    scale = Scale(tables)
    rng = random.Random(seed)
    units: list[Unit] = [role_unit()]
    units += [enum_unit(i, rng) for i in range(scale.enums)]
    units += [table_unit(i, scale, rng) for i in range(tables)]
    units += [view_unit(i, scale, rng) for i in range(scale.views)]
    units += [function_unit(i, scale, rng) for i in range(scale.functions)]
    return Schema(scale, units, dozen_changes(scale))


def role_unit() -> Unit:
    # Roles belong to the server, not the database: create it once, whoever loads first.
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{ROLE}') THEN CREATE ROLE {ROLE} NOLOGIN; END IF; END $$",
    )


def enum_unit(i: int, rng: random.Random) -> Unit:
    labels = rng.sample(WORDS, rng.randint(3, 6))
    quoted = ", ".join(f"'{label}'" for label in labels)
    return (f"CREATE TYPE {enum_name(i)} AS ENUM ({quoted})",)


def table_unit(i: int, scale: Scale, rng: random.Random) -> Unit:
    name = table_name(i)
    statements = [create_table(i, scale), create_index(i)]
    if i % FOREIGN_KEY_EVERY == 1:
        statements.append(foreign_key(i, rng))
    if has_rls(i):
        statements += rls_statements(name)
    if is_granted(i):
        statements.append(f"GRANT SELECT, INSERT ON {name} TO {ROLE}")
    return tuple(statements)


def create_table(i: int, scale: Scale) -> str:
    state_type = enum_name(i % scale.enums) if i % 2 == 0 else "text"
    return (
        f"CREATE TABLE {table_name(i)} (\n"
        "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        "    owner_id uuid NOT NULL DEFAULT gen_random_uuid(),\n"
        "    name text NOT NULL,\n"
        "    c_count integer NOT NULL DEFAULT 0,\n"
        "    c_amount numeric(12, 2),\n"
        "    c_flag boolean NOT NULL DEFAULT false,\n"
        "    c_payload jsonb NOT NULL DEFAULT '{}'::jsonb,\n"
        "    c_created timestamptz NOT NULL DEFAULT now(),\n"
        f"    state {state_type},\n"
        "    ref_id bigint\n"
        ")"
    )


def create_index(i: int) -> str:
    name = table_name(i)
    kind = i % INDEX_KINDS
    if kind == 0:
        return f"CREATE UNIQUE INDEX {name}_name_key ON {name} (name)"
    if kind == 1:
        return f"CREATE INDEX {name}_owner_created_idx ON {name} (owner_id, c_created DESC)"
    if kind == 2:
        return f"CREATE INDEX {name}_flagged_idx ON {name} (c_created) WHERE c_flag"
    if kind == GIN_KIND:
        return f"CREATE INDEX {name}_payload_idx ON {name} USING gin (c_payload)"
    return f"CREATE INDEX {name}_ref_idx ON {name} (ref_id)"


def foreign_key(i: int, rng: random.Random) -> str:
    parent = table_name(rng.randrange(i))
    action = rng.choice(("NO ACTION", "CASCADE", "SET NULL"))
    return (
        f"ALTER TABLE {table_name(i)} ADD CONSTRAINT {table_name(i)}_ref_fkey "
        f"FOREIGN KEY (ref_id) REFERENCES {parent} (id) ON DELETE {action}"
    )


def rls_statements(name: str) -> list[str]:
    return [
        f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY",
        f'CREATE POLICY "owner reads" ON {name} FOR SELECT USING ({OWNER_CHECK})',
        f'CREATE POLICY "owner inserts" ON {name} FOR INSERT WITH CHECK ({OWNER_CHECK})',
    ]


def view_unit(i: int, scale: Scale, rng: random.Random) -> Unit:
    """Views read id, name, c_amount, c_created and ref_id only; one in ten reads a view."""
    if i > 0 and i % 10 == 0:
        source = view_name(rng.randrange(i))
        body = f"SELECT id, name, amount FROM {source} WHERE amount > 100"
    elif i % 4 == 1:
        child, parent = table_name(rng.randrange(scale.tables)), table_name(rng.randrange(i + 1))
        body = (
            f"SELECT c.id, c.name, c.c_amount AS amount, p.name AS parent_name\n"
            f"FROM {child} c JOIN {parent} p ON p.id = c.ref_id"
        )
    else:
        source = table_name(rng.randrange(scale.tables))
        body = (
            f"SELECT id, name, c_amount AS amount, c_created\nFROM {source}\n"
            "WHERE c_amount IS NOT NULL"
        )
    return (f"CREATE VIEW {view_name(i)} AS\n{body}",)


def function_unit(i: int, scale: Scale, rng: random.Random) -> Unit:
    """Functions read owner_id, c_amount and ref_id only."""
    source = table_name(rng.randrange(scale.tables))
    if i % 2 == 0:
        return (sql_function(function_name(i), source, "sum(c_amount)"),)
    return (
        f"CREATE FUNCTION {function_name(i)}(p_id bigint) RETURNS bigint\n"
        "LANGUAGE plpgsql STABLE AS $$\nDECLARE\n    n bigint;\nBEGIN\n"
        f"    SELECT count(*) INTO n FROM {source} WHERE ref_id = p_id;\n"
        "    RETURN n;\nEND\n$$",
    )


def sql_function(name: str, source: str, aggregate: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}(p_owner uuid) RETURNS numeric\n"
        f"LANGUAGE sql STABLE AS $$\n"
        f"    SELECT coalesce({aggregate}, 0) FROM {source} WHERE owner_id = p_owner\n$$"
    )


def dozen_changes(scale: Scale) -> list[Unit]:
    """Twelve changes a team makes in a sprint, each on an object that allows it."""
    plain = [i for i in range(scale.tables) if not has_rls(i) and not is_granted(i)]
    no_gin = [i for i in plain if i % INDEX_KINDS != GIN_KIND]
    t = [table_name(i) for i in no_gin[:6]]
    rls = table_name(RLS_EVERY)
    granted, ungranted = table_name(GRANT_EVERY), table_name(plain[6])
    return [
        (f"ALTER TABLE {t[0]} ADD COLUMN note text",),
        (f"ALTER TABLE {t[1]} DROP COLUMN c_payload",),
        (f"ALTER TABLE {t[2]} ALTER COLUMN c_count TYPE bigint",),
        (f"CREATE INDEX {t[3]}_count_idx ON {t[3]} (c_count)",),
        (f"DROP VIEW {view_name(scale.views - 1)}",),
        (sql_function(function_name(0), table_name(0), "max(c_amount)"),),
        (f"ALTER TYPE {enum_name(0)} ADD VALUE 'legacy'",),
        (f'CREATE POLICY "owner deletes" ON {rls} FOR DELETE USING ({OWNER_CHECK})',),
        (f"ALTER TABLE {t[4]} ALTER COLUMN c_count SET DEFAULT 1",),
        (f"ALTER TABLE {t[5]} ADD CONSTRAINT {t[5]}_amount_check CHECK (c_amount >= 0)",),
        new_table_unit(),
        (f"GRANT SELECT ON {ungranted} TO {ROLE}", f"REVOKE INSERT ON {granted} FROM {ROLE}"),
    ]


def new_table_unit() -> Unit:
    return (
        "CREATE TABLE audit_log (\n"
        "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
        f"    row_id bigint NOT NULL REFERENCES {table_name(0)} (id) ON DELETE CASCADE,\n"
        "    action text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),\n"
        "    at timestamptz NOT NULL DEFAULT now()\n"
        ")",
        "CREATE INDEX audit_log_row_idx ON audit_log (row_id)",
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=DEFAULT_TABLES, help="default 1000")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--variant",
        choices=("base", "changes", "changed"),
        default="base",
        help="base schema, the dozen changes alone, or base plus changes",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.tables < 10:
        sys.exit("--tables must be at least 10")
    schema = generate(args.tables, args.seed)
    text = {
        "base": schema.base_sql,
        "changes": schema.changes_sql,
        "changed": schema.changed_sql,
    }[args.variant]()
    print(f"-- {schema.scale.summary()}; seed {args.seed}; variant {args.variant}")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

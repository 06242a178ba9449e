"""Text search dictionaries and configurations.

A dictionary's options change in place, its template does not: it is dropped and created
again. A configuration's mappings change in place, its parser does not. A configuration
that stays is never dropped for a dictionary that goes: what uses the configuration (an
index, a generated column) would go with it. It lets go of that dictionary first (DROP
MAPPING for the token types that use it) and maps them again once the new one exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from pgalign.catalog.model import (
    Catalog,
    Key,
    Options,
    TextSearchConfiguration,
    TextSearchDictionary,
)
from pgalign.diff.common import Alteration, Context, comment, owner
from pgalign.diff.plan import Statement

DICTIONARY = "TEXT SEARCH DICTIONARY"
CONFIGURATION = "TEXT SEARCH CONFIGURATION"
Mappings = tuple[tuple[str, tuple[str, ...]], ...]


class TextSearchDictionaryGenerator:
    def create(self, new: TextSearchDictionary, ctx: Context) -> list[Statement]:
        options = ", ".join(f"{name} = {value}" for name, value in new.options)
        made_of = f"TEMPLATE = {new.template}" + (f", {options}" if options else "")
        return [
            Statement(f"CREATE {DICTIONARY} {new.qualified} ({made_of})"),
            *comment(DICTIONARY, new.qualified, None, new.comment),
        ]

    def drop(self, old: TextSearchDictionary, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP {DICTIONARY} {old.qualified}")]

    def alter(
        self, old: TextSearchDictionary, new: TextSearchDictionary, ctx: Context
    ) -> Alteration | None:
        if old.template != new.template:
            return None
        return Alteration(
            create_phase=(
                *_option_changes(new.qualified, old.options, new.options),
                *owner(DICTIONARY, new.qualified, old.owner, new.owner, ctx),
                *comment(DICTIONARY, new.qualified, old.comment, new.comment),
            )
        )


def _option_changes(name: str, old: Options, new: Options) -> list[Statement]:
    """One ALTER: an option given a value is set, one named alone is removed."""
    before = dict(old)
    changed = [f"{option} = {value}" for option, value in new if before.get(option) != value]
    kept = {option for option, _ in new}
    changed += [option for option in before if option not in kept]
    return [Statement(f"ALTER {DICTIONARY} {name} ({', '.join(changed)})")] if changed else []


class TextSearchConfigurationGenerator:
    def create(self, new: TextSearchConfiguration, ctx: Context) -> list[Statement]:
        return [
            Statement(f"CREATE {CONFIGURATION} {new.qualified} (PARSER = {new.parser})"),
            *mapping_changes(new.qualified, (), new.mappings),
            *comment(CONFIGURATION, new.qualified, None, new.comment),
        ]

    def drop(self, old: TextSearchConfiguration, ctx: Context) -> list[Statement]:
        return [Statement(f"DROP {CONFIGURATION} {old.qualified}")]

    def alter(
        self, old: TextSearchConfiguration, new: TextSearchConfiguration, ctx: Context
    ) -> Alteration | None:
        if old.parser != new.parser:
            return None
        return Alteration(
            create_phase=(
                *mapping_changes(new.qualified, old.mappings, new.mappings),
                *owner(CONFIGURATION, new.qualified, old.owner, new.owner, ctx),
                *comment(CONFIGURATION, new.qualified, old.comment, new.comment),
            )
        )


def mapping_changes(name: str, old: Mappings, new: Mappings) -> list[Statement]:
    """DROP, ALTER and ADD MAPPING turning `old` into `new`: one statement for the token
    types given the same dictionaries (ADD refuses a token type already mapped)."""
    before, after = dict(old), dict(new)
    head = f"ALTER {CONFIGURATION} {name}"
    gone = [token for token in before if token not in after]
    out = [Statement(f"{head} DROP MAPPING FOR {', '.join(gone)}")] if gone else []
    altered: dict[tuple[str, ...], list[str]] = {}
    added: dict[tuple[str, ...], list[str]] = {}
    for token, used in new:
        if token not in before:
            added.setdefault(used, []).append(token)
        elif before[token] != used:
            altered.setdefault(used, []).append(token)
    for verb, grouped in (("ALTER", altered), ("ADD", added)):
        out += [
            Statement(f"{head} {verb} MAPPING FOR {', '.join(tokens)} WITH {', '.join(used)}")
            for used, tokens in grouped.items()
        ]
    return out


def configurations_letting_go(
    source: Catalog, target: Catalog, dropped: frozenset[Key]
) -> Iterator[tuple[TextSearchConfiguration, TextSearchConfiguration, list[Statement]]]:
    """Configurations that stay while a dictionary they use is dropped: each, as it is before
    and once it has let go of that dictionary, with the DROP MAPPING that does so."""
    going = {key[1] for key in dropped if key[0] == "text_search_dictionary"}
    if not going:
        return
    for old in source.of_type(TextSearchConfiguration):
        if old.key in dropped or old.key not in target.objects:
            continue
        tokens = [token for token, used in old.mappings if going.intersection(used)]
        if tokens:
            kept = tuple(mapping for mapping in old.mappings if mapping[0] not in tokens)
            yield (
                old,
                replace(old, mappings=kept),
                mapping_changes(old.qualified, old.mappings, kept),
            )

"""GitHub workflow commands survive paths and messages with the runner's special characters."""

from __future__ import annotations

from pgalign.lint import Finding, Severity, lint_sql
from pgalign.lint.render import github_command, json_document


def test_github_command_escapes_properties_and_message() -> None:
    finding = Finding(
        "ban-drop-table", Severity.ERROR, "db/a,b:c.sql", 7, "drop table t", "100% gone\nnow"
    )
    assert github_command(finding) == (
        "::error file=db/a%2Cb%3Ac.sql,line=7,title=ban-drop-table::100%25 gone%0Anow"
    )


def test_json_document_has_the_documented_keys_in_order() -> None:
    [finding] = lint_sql("set lock_timeout = '1s';\ntruncate t cascade;\n", "m.sql")
    document = json_document([finding])
    assert list(document) == ["findings"]
    assert list(document["findings"][0]) == [
        "rule",
        "severity",
        "file",
        "line",
        "statement",
        "message",
    ]


def test_empty_and_comment_only_files_have_no_findings() -> None:
    assert lint_sql("") == []
    assert lint_sql("-- nothing yet\n/* still nothing */\n") == []

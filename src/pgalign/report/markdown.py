"""The status report as Markdown, in the shape of a team's ALIGNMENT-STATUS.md."""

from __future__ import annotations

from datetime import UTC, datetime

from pgalign.alignment import DIRECTORY, StatusReport


def render_markdown(report: StatusReport, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    verdict = "✅ ALIGNED" if report.aligned else "⚠️ MISALIGNED"
    lines = [
        "# Database Alignment Status",
        "",
        f"**Checked**: {stamp}  ",
        f"**Verdict**: {verdict}  ",
        f"**Local migrations**: {report.migration_count} files"
        + (
            f" (schema fingerprint `{report.migrations_fingerprint}`)"
            if report.migrations_fingerprint
            else ""
        ),
        "",
        "---",
        "",
        "## Environments",
        "",
        "| Environment | Reachable | Server | Applied | Pending | Missing locally "
        "| Out of order | Modified | Drift | Fingerprint |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, env in report.environments.items():
        if not env.reachable:
            lines.append(f"| {name} | no | - | - | - | - | - | - | - | - |")
            continue
        m = env.migrations_dict()
        drift = (
            "not checked"
            if not env.drift.checked
            else (f"{len(env.drift.changes)} change(s)" if env.drift.drifted else "none")
        )
        lines.append(
            f"| {name} | yes | {env.server_version} | {m['applied']} | {len(m['pending'])} | "
            f"{len(m['missing_local'])} | {len(m['out_of_order'])} | {len(m['modified'])} | "
            f"{drift} | `{env.fingerprint}` |"
        )
    lines += ["", "## Cross-environment comparison", ""]
    groups = report.same_schema_groups()
    if len(groups) <= 1:
        lines.append("All reachable environments have the same schema as the migrations.")
    else:
        for group in groups:
            lines.append(f"- same schema: {', '.join(group)}")
        if not any(DIRECTORY in group for group in groups):
            lines.append(f"- `{DIRECTORY}`: the migration files could not be replayed")
    lines += ["", "## Problems and fixes", ""]
    if not report.problems:
        lines.append("None.")
    for index, problem in enumerate(report.problems, start=1):
        lines.append(f"{index}. **{problem.environment}: {problem.code}**: {problem.message}  ")
        lines.append(f"   Fix: {problem.fix}")
    drifted = [(n, e) for n, e in report.environments.items() if e.drift.drifted]
    if drifted:
        lines += ["", "## Drift (changes made outside migrations)", ""]
        for name, env in drifted:
            lines.append(f"### {name}")
            lines.append("")
            for change in env.drift.changes:
                origin = change.provenance
                lines.append(
                    f"- {change.change}: {change.kind} `{change.object}`{origin}: {change.detail}"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"

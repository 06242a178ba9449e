"""The status report as JUnit XML: one test case per check, failures carry the fix."""

from __future__ import annotations

from xml.etree import ElementTree

from pgalign.alignment import StatusReport

CHECKS = ("reachable", "migrations", "drift")


def render_junit(report: StatusReport) -> str:
    suites = ElementTree.Element("testsuites", name="pgalign status")
    for name in report.environments:
        problems = [p for p in report.problems if p.environment == name]
        suite = ElementTree.SubElement(suites, "testsuite", name=name)
        failures = 0
        for check in CHECKS:
            case = ElementTree.SubElement(
                suite, "testcase", classname=f"pgalign.{name}", name=check
            )
            mine = [p for p in problems if _check_of(p.code) == check]
            for problem in mine:
                failure = ElementTree.SubElement(
                    case, "failure", type=problem.code, message=problem.message
                )
                failure.text = f"fix: {problem.fix}"
                failures += 1
        suite.set("tests", str(len(CHECKS)))
        suite.set("failures", str(failures))
    others = [p for p in report.problems if p.environment not in report.environments]
    if others:
        suite = ElementTree.SubElement(
            suites, "testsuite", name="migrations", tests="1", failures=str(len(others))
        )
        case = ElementTree.SubElement(
            suite, "testcase", classname="pgalign.migrations", name="replay"
        )
        for problem in others:
            failure = ElementTree.SubElement(
                case, "failure", type=problem.code, message=problem.message
            )
            failure.text = f"fix: {problem.fix}"
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )


def _check_of(code: str) -> str:
    if code == "unreachable":
        return "reachable"
    if code in ("drift", "drift_unknown"):
        return "drift"
    return "migrations"

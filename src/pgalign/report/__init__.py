"""Renderers of a status report: table, json, markdown, junit. A report never queries."""

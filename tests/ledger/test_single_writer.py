"""DESIGN.md invariant 2: only cuadra/ledger/services* creates journal lines."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# constructing a line, or creating one through any manager or bulk call
CREATES = re.compile(r"\bJournalLine\s*\(|JournalLine\.objects\.(create|bulk_create|"
                     r"get_or_create|update_or_create)\b|lines\.create\(")
ALLOWED = ("cuadra/ledger/services",)


def test_only_ledger_services_create_journal_lines():
    offenders = []
    for path in sorted((ROOT / "cuadra").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(ALLOWED) or "/migrations/" in rel:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CREATES.search(line) and not line.lstrip().startswith("class JournalLine("):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_catches_a_writer():
    assert CREATES.search("JournalLine.objects.bulk_create(rows)")
    assert CREATES.search("x = JournalLine(entry=e)")
    assert CREATES.search("entry.lines.create(account=a)")
    assert not CREATES.search("JournalLine.objects.filter(entry=e)")

"""How well `qa_bot.safety.check` escalates patients' own words: recall on emergencies, the right notice
kind for crises, and false escalations of informational questions, per split and overall."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qa_bot.safety import check
from qa_bot.safety_reading import SafetyCheck

SPLITS = ("dev", "held_out")


def _lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _right_kind(row: dict[str, Any], result: SafetyCheck) -> bool:
    """Escalated, and a crisis line shows the "crisis" notice."""
    return result.urgent and (row["kind"] != "crisis" or any(n.kind == "crisis" for n in result.notices()))


Reader = Callable[[str], SafetyCheck]


def _figures(emergencies: list[dict[str, Any]], informational: list[dict[str, Any]], read: Reader) -> dict[str, Any]:
    results = [(row, read(row["text"])) for row in emergencies]
    missed = [row["text"] for row, result in results if not result.urgent]
    right = [_right_kind(row, result) for row, result in results]
    crisis_right = [ok for (row, _), ok in zip(results, right, strict=True) if row["kind"] == "crisis"]
    false = [row["text"] for row in informational if read(row["text"]).urgent]
    return {
        "emergencies": len(emergencies),
        "escalated": len(emergencies) - len(missed),
        "recall": _share(len(emergencies) - len(missed), len(emergencies)),
        "crises": len(crisis_right),
        "right_kind": _share(sum(right), len(emergencies)),
        "crisis_right_kind": _share(sum(crisis_right), len(crisis_right)),
        "informational": len(informational),
        "false_escalations": len(false),
        "false_escalation_share": _share(len(false), len(informational)),
        "_missed": missed,
        "_falsely_escalated": false,
    }


def escalation_report(emergencies: Path, informational: Path, read: Reader = check,
                      read_dev: Reader | None = None) -> dict[str, Any]:
    """Figures for "dev", "held_out" and "overall"; only "dev" lists its missed and falsely escalated texts.

    `read` gives a text's safety reading (the patterns alone by default; `QABot.safety_check` for all
    that `ask` reads); `read_dev`, when given, reads the dev lines (a reading without the set's own
    examples), and "overall" is then left out.

    `right_kind` is the share of emergency lines escalated with the right notice (a crisis line must get
    the "crisis" notice; any urgent notice is right for the others); `crisis_right_kind` counts crises only.
    """
    urgent, calm = _lines(emergencies), _lines(informational)
    report: dict[str, Any] = {}
    for split in SPLITS:
        reader = read_dev if split == "dev" and read_dev else read
        rows = [r for r in urgent if r["split"] == split], [r for r in calm if r["split"] == split]
        report[split] = _figures(*rows, reader)
    if read_dev is None:
        report["overall"] = _figures(urgent, calm, read)
    for split, figures in report.items():
        missed, false = figures.pop("_missed"), figures.pop("_falsely_escalated")
        if split == "dev":
            figures["missed"], figures["falsely_escalated"] = missed, false
    return report

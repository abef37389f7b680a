"""The eligibility service's steps as lines a resident can check on a phone.

Each line: what it is, the figure, and for a rule's parameter since when it applies and
which text sets it; an estimate or an unverified figure says so. The wording of the
sentences around these lines lives in domain.yml.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

NBSP = "\u202f"
STATUT_MARKS = {
    "estimation": "estimation",
    "derive": "calculé à partir de chiffres officiels",
    "secondaire": "source secondaire",
    "non_verifie": "non vérifié, à confirmer auprès du CCAS",
}


def french_number(value: float) -> str:
    """15633 → "15 633", 0.16 → "0,16", 950.5 → "950,50"."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", NBSP)
    whole, decimals = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', NBSP)},{decimals}"


def step_line(step: dict[str, Any]) -> str:
    value = step.get("value")
    line = f"• {step['label']}"
    if isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, (int, float)):
        line += f" : {french_number(value)}"
        if step.get("unit"):
            line += f" {step['unit']}"
    else:
        line += f" : {value}"
    details = []
    if step.get("date_of_effect"):
        since = dt.date.fromisoformat(step["date_of_effect"])
        details.append(f"depuis le {since:%d/%m/%Y}")
    if step.get("statut") in STATUT_MARKS:
        details.append(STATUT_MARKS[step["statut"]])
    if step.get("source"):
        details.append("source : " + step["source"]["title"])
    if details:
        line += " (" + " ; ".join(details) + ")"
    return line


def explanation(result: dict[str, Any]) -> str:
    return "\n".join(step_line(step) for step in result.get("steps", []))

"""Write the sheet tables of docs/werkmap.md from the contract (`make docs`).

The part between '## De sheets' and '## Wat de pipeline maakt' is generated: one section per
sheet with its help text and a row per field, so the user documentation never lags the contract.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.intake import contract  # noqa: E402

DOC = ROOT / "docs" / "werkmap.md"
START, END = "## De sheets\n", "## Wat de pipeline maakt\n"


def sheet_section(sheet: contract.Sheet) -> str:
    key_value = sheet.shape is contract.Shape.KEY_VALUE
    shape = sheet.shape.value + (", verplicht" if sheet.required else "")
    lines = [f"### Sheet `{sheet.name}` ({shape})", "", sheet.help, "",
             f"| {'Veld' if key_value else 'Kolom'} | Verplicht | Soort | Uitleg |", "|---|---|---|---|"]
    for f in sheet.fields:
        lines.append(f"| {f.label} | {'ja' if f.required else ''} | {f.type_text} | {f.help} |")
    return "\n".join(lines) + "\n"


def sheets_part() -> str:
    return START + "\n" + "\n".join(sheet_section(s) for s in contract.SHEETS) + "\n"


def updated(text: str) -> str:
    head, rest = text.split(START, 1)
    return head + sheets_part() + END + rest.split(END, 1)[1]


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)} bijgewerkt")

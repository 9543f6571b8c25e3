"""What a batch is asked to do: the folders, the peildatum and the switches of the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Options:
    input_dir: Path
    output_dir: Path
    templates_dir: Path
    peildatum: date
    pdf: bool = False  # also PDF versions (LibreOffice); the WIA-bundle zip then holds the PDFs
    workers: int = 1  # processes rendering cases side by side
    force: bool = False  # render every case, also when nothing it is made from changed

"""Poortwachter-pipeline: case workbooks (Excel) in, re-integration documents (Word) out.

The flow, one module per stage: workbook (read) -> validate (contract -> model) -> documents
(context per document) -> render (docxtpl) -> output (atomic writes) -> report; `batch` runs it
for a folder and `cli` is the thin command line around it.
"""

__version__ = "0.3.0"  # part of every manifest: a new version makes every case again

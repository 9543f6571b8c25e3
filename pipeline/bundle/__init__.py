"""Bundle stage: the WIA bundle (`index`: its elements in UWV's order, completeness and the zip)
and the PDF versions of the documents (`pdf`, through LibreOffice).

Kept empty on purpose: importing `pipeline.bundle.pdf` must not load the documents stage.
"""

"""Turns dsim outputs (JSON-lines traces, JSON summaries, ring-stats results) into pictures.

Each protocol family's plot module is ``plots.py`` in the family's folder (see plugins.py)
and exposes ``plots_for_run(run, out_dir)`` returning the list of PNG paths it wrote (empty
when the run is not its family's).
"""

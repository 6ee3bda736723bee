"""Turns dsim outputs (JSON-lines traces, JSON summaries, ring-stats results) into pictures.

Plot modules are named ``plots_<area>.py`` and expose ``plots_for_run(run, out_dir)``
returning the list of PNG paths they wrote (empty when the run is not theirs).
"""

"""Finds the protocol-specific plot modules (``plots_<area>.py`` in this package) and calls
them, turning any exception into a reported error so one broken plot never costs the
report.

A plot module exposes ``plots_for_run(run, out_dir) -> list[Path]`` (PNG files it wrote;
empty when the run is not its protocol's) and, optionally,
``plots_for_ring_stats(stats, out_dir) -> list[Path]`` for ``dsim ring-stats`` results.
"""
from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = __name__.rsplit(".", 1)[0]
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass
class PluginOutcome:
    pictures: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (plugin, traceback text)


def plugin_names(folder: Path = PACKAGE_DIR) -> list[str]:
    """Module names of every plot module, sorted so the report's order is stable."""
    return sorted(p.stem for p in Path(folder).glob("plots_*.py"))


def _load(package: str, name: str, outcome: PluginOutcome):
    try:
        return importlib.import_module(f"{package}.{name}")
    except Exception:  # noqa: BLE001 - a plugin that fails to import is reported, not fatal
        outcome.errors.append((name, traceback.format_exc()))
        return None


def call_plugins(function: str, data, out_dir: Path, package: str = PACKAGE,
                 folder: Path = PACKAGE_DIR) -> PluginOutcome:
    """Calls ``function(data, out_dir)`` in every plot module of ``package`` (found in
    ``folder``) that defines it."""
    outcome = PluginOutcome()
    for name in plugin_names(folder):
        module = _load(package, name, outcome)
        fn = getattr(module, function, None) if module is not None else None
        if fn is None:
            continue
        try:
            produced = fn(data, Path(out_dir)) or []
            for path in produced:
                if not Path(path).is_file():
                    raise FileNotFoundError(f"{name}.{function} listed {path}, "
                                            "which does not exist")
                outcome.pictures.append(Path(path))
        except Exception:  # noqa: BLE001 - reported in the HTML instead of crashing it
            outcome.errors.append((name, traceback.format_exc()))
    return outcome


def plots_for_run(run, out_dir: Path) -> PluginOutcome:
    return call_plugins("plots_for_run", run, out_dir)


def plots_for_ring_stats(stats, out_dir: Path) -> PluginOutcome:
    return call_plugins("plots_for_ring_stats", stats, out_dir)

"""Finds each protocol family's plot module and calls it, turning any exception into a
reported error so one broken plot never costs the report.

A family's plot module is ``plots.py`` in the family's own folder, next to its C++ code:
``sim/protocols/<family>/plots.py`` in this source tree (found from this package's place in
it), and, for families written outside the tree with the SDK, any folder or ``plots.py``
named in the environment variable ``DSIM_PLOT_PLUGINS`` (paths separated by ``os.pathsep``,
``:`` on Linux). A plugin is named after its folder (``locks``, ``ring``, ...).

A plot module exposes ``plots_for_run(run, out_dir) -> list[Path]`` (PNG files it wrote;
empty when the run is not its protocol's) and, optionally,
``plots_for_ring_stats(stats, out_dir) -> list[Path]`` for ``dsim ring-stats`` results.
It imports what it needs from ``dsim_analysis`` by absolute name.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
FAMILIES_DIR = PACKAGE_DIR.parents[1] / "sim" / "protocols"
PLUGIN_FILE = "plots.py"
ENV_VAR = "DSIM_PLOT_PLUGINS"


@dataclass
class PluginOutcome:
    pictures: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (plugin, traceback text)


@dataclass(frozen=True)
class Plugin:
    name: str  # the family folder's name
    path: Path  # its plots.py


def family_plugins(families_dir: Path = FAMILIES_DIR) -> list[Plugin]:
    """The plot module of every family folder under ``families_dir``, sorted by name so the
    report's order is stable."""
    return [Plugin(p.parent.name, p) for p in sorted(Path(families_dir).glob(f"*/{PLUGIN_FILE}"))]


def extra_plugins(value: str | None = None) -> list[Plugin]:
    """The plot modules named in ``DSIM_PLOT_PLUGINS`` (or ``value``): each entry a family
    folder holding ``plots.py``, or a ``.py`` file (named after its folder). An entry that
    names nothing loadable is kept, so that calling it reports the error."""
    value = os.environ.get(ENV_VAR, "") if value is None else value
    found = []
    for entry in filter(None, value.split(os.pathsep)):
        path = Path(entry).expanduser().resolve()
        if path.suffix != ".py":  # a family folder (a missing one is reported when called)
            path = path / PLUGIN_FILE
        found.append(Plugin(path.parent.name, path))
    return found


def all_plugins() -> list[Plugin]:
    """The families' plot modules, then the extra ones; a file named twice runs once."""
    seen, out = set(), []
    for plugin in family_plugins() + extra_plugins():
        key = plugin.path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(plugin)
    return out


def load(plugin: Plugin):
    """Imports ``plugin``'s module (once per process) and returns it; raises what importing
    raises (FileNotFoundError when the file is missing)."""
    digest = hashlib.sha1(str(plugin.path).encode()).hexdigest()[:10]  # two folders, one name
    module_name = f"dsim_plots_{plugin.name}_{digest}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    if not plugin.path.is_file():
        raise FileNotFoundError(f"no plot module at {plugin.path}")
    spec = importlib.util.spec_from_file_location(module_name, plugin.path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while it runs
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def family_plots(name: str):
    """The plot module of the in-tree family ``name`` (for tests and scripts)."""
    return load(Plugin(name, FAMILIES_DIR / name / PLUGIN_FILE))


def call_plugins(function: str, data, out_dir: Path, plugins: list[Plugin] | None = None) -> PluginOutcome:
    """Calls ``function(data, out_dir)`` in every plot module (``all_plugins()`` unless
    ``plugins`` is given) that defines it."""
    outcome = PluginOutcome()
    for plugin in all_plugins() if plugins is None else plugins:
        try:
            module = load(plugin)
        except Exception:  # noqa: BLE001 - a plugin that fails to import is reported, not fatal
            outcome.errors.append((plugin.name, traceback.format_exc()))
            continue
        fn = getattr(module, function, None)
        if fn is None:
            continue
        try:
            produced = fn(data, Path(out_dir)) or []
            for path in produced:
                if not Path(path).is_file():
                    raise FileNotFoundError(f"{plugin.name}.{function} listed {path}, "
                                            "which does not exist")
                outcome.pictures.append(Path(path))
        except Exception:  # noqa: BLE001 - reported in the HTML instead of crashing it
            outcome.errors.append((plugin.name, traceback.format_exc()))
    return outcome


def plots_for_run(run, out_dir: Path) -> PluginOutcome:
    return call_plugins("plots_for_run", run, out_dir)


def plots_for_ring_stats(stats, out_dir: Path) -> PluginOutcome:
    return call_plugins("plots_for_ring_stats", stats, out_dir)

import os
import textwrap

from dsim_analysis import plugins
from dsim_analysis.html_report import RunSection, write_index_html


def fake_families(tmp_path, name="families"):
    """Family folders with a working plot module, one that raises, one that cannot import,
    and one folder without plots.py."""
    root = tmp_path / name
    for family, text in (
            ("good", """
                from pathlib import Path
                from dsim_analysis.figures import new_figure, save_figure

                def plots_for_run(run, out_dir):
                    fig = new_figure(3, 2)
                    fig.add_subplot().plot([0, 1], [len(run.events), 0])
                    return [save_figure(fig, Path(out_dir) / "good.png")]

                def plots_for_ring_stats(stats, out_dir):
                    return []
                """),
            ("raises", "def plots_for_run(run, out_dir):\n    raise RuntimeError('boom')\n"),
            ("broken", "import no_such_module_anywhere\n")):
        (root / family).mkdir(parents=True)
        (root / family / "plots.py").write_text(textwrap.dedent(text))
    (root / "no_plots").mkdir()
    (root / "no_plots" / "other.py").write_text("raise SystemExit('never imported')\n")
    return root


def test_discovers_each_family_folders_plots_module(tmp_path):
    root = fake_families(tmp_path)
    assert [p.name for p in plugins.family_plugins(root)] == ["broken", "good", "raises"]


def test_the_source_trees_families_have_plot_modules():
    assert {"locks", "ring", "2pc"} <= {p.name for p in plugins.family_plugins()}


def test_errors_are_reported_and_good_plots_kept(tmp_path, default_run):
    root = fake_families(tmp_path)
    outcome = plugins.call_plugins("plots_for_run", default_run, tmp_path / "out",
                                   plugins.family_plugins(root))
    assert [p.name for p in outcome.pictures] == ["good.png"]
    failed = dict(outcome.errors)
    assert set(failed) == {"broken", "raises"}
    assert "RuntimeError: boom" in failed["raises"]
    assert "no_such_module_anywhere" in failed["broken"]


def test_the_html_shows_plugin_errors(tmp_path, default_run):
    root = fake_families(tmp_path)
    outcome = plugins.call_plugins("plots_for_run", default_run, tmp_path,
                                   plugins.family_plugins(root))
    section = RunSection(default_run, outcome.pictures, outcome.errors)
    text = write_index_html(tmp_path, "t", [section], [], []).read_text()
    assert "plot error in <b>raises</b>" in text and "RuntimeError: boom" in text
    assert 'src="good.png"' in text


def test_an_sdk_familys_plots_come_from_the_environment(tmp_path, default_run, monkeypatch):
    """A family built outside the tree names its folder (or its plots.py) in
    DSIM_PLOT_PLUGINS; its pictures join the report's, and a missing entry is an error."""
    root = fake_families(tmp_path)
    monkeypatch.setenv(plugins.ENV_VAR, os.pathsep.join(
        [str(root / "good"), str(root / "raises" / "plots.py"), str(tmp_path / "missing")]))
    assert [p.name for p in plugins.extra_plugins()] == ["good", "raises", "missing"]
    # An in-tree family named again is loaded once.
    monkeypatch.setenv(plugins.ENV_VAR, str(plugins.FAMILIES_DIR / "locks"))
    assert [p.name for p in plugins.all_plugins()].count("locks") == 1
    monkeypatch.setenv(plugins.ENV_VAR, os.pathsep.join(
        [str(root / "good"), str(root / "raises" / "plots.py"), str(tmp_path / "missing")]))
    outcome = plugins.plots_for_run(default_run, tmp_path / "out")
    assert "good.png" in [p.name for p in outcome.pictures]
    failed = dict(outcome.errors)
    assert "RuntimeError: boom" in failed["raises"]
    assert "no plot module at" in failed["missing"]


def test_real_plot_modules_import_cleanly(default_run, tmp_path):
    """Whatever plots_*.py the package holds today, none may break on a heartbeat run."""
    outcome = plugins.plots_for_run(default_run, tmp_path)
    assert outcome.errors == []

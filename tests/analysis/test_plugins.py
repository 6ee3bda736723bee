import sys
import textwrap

from dsim_analysis import plugins
from dsim_analysis.html_report import RunSection, write_index_html


def fake_package(tmp_path, name="fakeplots"):
    """A package with a working plot module, one that raises, one that cannot import."""
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "plots_good.py").write_text(textwrap.dedent("""
        from pathlib import Path
        from dsim_analysis.figures import new_figure, save_figure

        def plots_for_run(run, out_dir):
            fig = new_figure(3, 2)
            fig.add_subplot().plot([0, 1], [len(run.events), 0])
            return [save_figure(fig, Path(out_dir) / "good.png")]

        def plots_for_ring_stats(stats, out_dir):
            return []
        """))
    (pkg / "plots_raises.py").write_text(
        "def plots_for_run(run, out_dir):\n    raise RuntimeError('boom')\n")
    (pkg / "plots_broken.py").write_text("import no_such_module_anywhere\n")
    (pkg / "not_a_plugin.py").write_text("raise SystemExit('never imported')\n")
    sys.path.insert(0, str(tmp_path))
    return name, pkg


def test_discovers_only_plots_modules(tmp_path):
    _, pkg = fake_package(tmp_path, "fake_discovery")
    assert plugins.plugin_names(pkg) == ["plots_broken", "plots_good", "plots_raises"]


def test_errors_are_reported_and_good_plots_kept(tmp_path, default_run):
    name, pkg = fake_package(tmp_path, "fake_calls")
    outcome = plugins.call_plugins("plots_for_run", default_run, tmp_path / "out", name, pkg)
    assert [p.name for p in outcome.pictures] == ["good.png"]
    failed = dict(outcome.errors)
    assert set(failed) == {"plots_broken", "plots_raises"}
    assert "RuntimeError: boom" in failed["plots_raises"]
    assert "no_such_module_anywhere" in failed["plots_broken"]


def test_the_html_shows_plugin_errors(tmp_path, default_run):
    name, pkg = fake_package(tmp_path, "fake_html")
    outcome = plugins.call_plugins("plots_for_run", default_run, tmp_path, name, pkg)
    section = RunSection(default_run, outcome.pictures, outcome.errors)
    text = write_index_html(tmp_path, "t", [section], [], []).read_text()
    assert "plot error in <b>plots_raises</b>" in text and "RuntimeError: boom" in text
    assert 'src="good.png"' in text


def test_real_plot_modules_import_cleanly(default_run, tmp_path):
    """Whatever plots_*.py the package holds today, none may break on a heartbeat run."""
    outcome = plugins.plots_for_run(default_run, tmp_path)
    assert outcome.errors == []

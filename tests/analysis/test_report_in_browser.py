"""The report as a reader sees it: index.html rendered by headless Chromium (Debian's
chromium, installed by .ci/setup), and the pictures' labels checked on the matplotlib
artists themselves. The run-set is small but has what made pages hard to read: the random
nemesis (many fault windows), a lock overlap of zero width at the run's end, and a check
that fails 38 times."""
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import SOURCE_DIR, run_dsim

from dsim_analysis.availability import availability_figure
from dsim_analysis.figures import TIDY_GIDS, tidy_labels
from dsim_analysis.network_rate import network_figure
from dsim_analysis.plugins import family_plots
from dsim_analysis.trace_io import load_run

lock_timeline = family_plots("locks").lock_timeline
lock_timeline_figure = family_plots("locks").lock_timeline_figure

SCENARIOS = ["scenarios/heartbeat-random-faults.json", "scenarios/locks/redlock-clock-jump.json",
             "scenarios/locks/fenced-random-faults.json", "scenarios/ring/partition-flap.json",
             "scenarios/2pc/bank-random-faults.json"]
# Without the background-networking flags headless Chromium hangs on refused connections.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]
# Loads the report in a frame, makes every picture load now (they are lazy), and logs which
# did not decode; file:// pages may read each other only with --allow-file-access-from-files.
IMAGE_PROBE = """<!doctype html><html><body>
<iframe id="page" src="report/index.html" width="1400" height="3000"></iframe>
<script>
window.addEventListener('load', async () => {
  const doc = document.getElementById('page').contentDocument;
  if (!doc) { console.log('DSIM-IMAGES ' + JSON.stringify({error: 'no access'})); return; }
  const images = [...doc.images];
  images.forEach((i) => { i.loading = 'eager'; });
  await Promise.all(images.map((i) => i.complete ? null
                               : new Promise((done) => { i.onload = i.onerror = done; })));
  const broken = images.filter((i) => !(i.naturalWidth > 0)).map((i) => i.getAttribute('src'));
  console.log('DSIM-IMAGES ' + JSON.stringify({total: images.length, broken}));
});
</script></body></html>
"""


@pytest.fixture(scope="module")
def out(dsim, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    run_dsim(dsim, "run-set", *SCENARIOS, "--out", str(folder))  # every one as expected
    done = subprocess.run([str(SOURCE_DIR / "analysis" / "dsim-report"), str(folder)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "0 plot errors" in done.stdout, done.stdout
    return folder


def chromium(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("chromium not found (.ci/setup installs Debian's chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs)["src"])


def test_every_picture_the_page_names_exists_and_loads_in_the_browser(out):
    page = out / "report" / "index.html"
    parser = Images()
    parser.feed(page.read_text())
    assert len(parser.sources) >= 5 * 4
    for src in parser.sources:
        picture = page.parent / src
        assert picture.is_file() and picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", src
    probe = out / "probe.html"
    probe.write_text(IMAGE_PROBE)
    done = chromium("--allow-file-access-from-files", "--virtual-time-budget=20000",
                    "--dump-dom", probe.as_uri())
    lines = console(done.stderr)
    result = [json.loads(re.search(r"DSIM-IMAGES (\{.*\})", line).group(1))
              for line in lines if "DSIM-IMAGES" in line]
    assert result == [{"total": len(parser.sources), "broken": []}], done.stderr[-3000:]
    assert len(lines) == 1, lines  # the page itself logs nothing: no error, no warning


def test_the_page_renders_and_says_what_failed_with_counts(out, tmp_path):
    shot = tmp_path / "page.png"
    done = chromium("--window-size=1400,2400", f"--screenshot={shot}",
                    (out / "report" / "index.html").as_uri())
    assert shot.is_file() and shot.stat().st_size > 50_000, done.stderr[-3000:]
    assert console(done.stderr) == []
    import matplotlib.image
    pixels = matplotlib.image.imread(str(shot))
    assert (pixels[..., :3] < 0.9).any(axis=2).mean() > 0.05  # not a blank page
    dom = chromium("--dump-dom", (out / "report" / "index.html").as_uri()).stdout
    assert "fresh_reads (38)" in dom                           # grouped, with its count
    assert "fresh_reads, fresh_reads" not in dom


def _visible_labels(fig):
    return [t for ax in fig.axes for t in ax.texts if t.get_gid() in TIDY_GIDS and t.get_visible()]


def _assert_readable(fig):
    """No two visible labels overlap; every title, axis label, tick label and legend lies
    inside the figure (nothing cut)."""
    tidy_labels(fig)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in _visible_labels(fig) if t.get_text().strip()]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), "labels overlap"
    page = fig.bbox
    must_show = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        must_show += [ax.title, ax.xaxis.label, ax.yaxis.label]
        for labels, limits, coordinate in ((ax.get_xticklabels(), ax.get_xlim(), 0),
                                           (ax.get_yticklabels(), ax.get_ylim(), 1)):
            low, high = min(limits), max(limits)  # ticks outside the view are never drawn
            must_show += [t for t in labels
                          if t.get_visible() and low <= t.get_position()[coordinate] <= high]
        if ax.get_legend() is not None:
            must_show.append(ax.get_legend())
    for artist in must_show:
        if hasattr(artist, "get_text") and not artist.get_text():
            continue
        box = artist.get_window_extent(renderer)
        assert (box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1
                and box.y1 <= page.y1 + 1), f"cut: {artist}"
    return len(boxes)


@pytest.mark.parametrize("stem", ["heartbeat-random-faults", "locks_fenced-random-faults",
                                  "2pc_bank-random-faults"])
def test_random_nemesis_faults_are_in_lanes_not_stacked_over_the_data(out, stem):
    run = load_run(out / f"{stem}.trace.jsonl")
    for fig in (network_figure(run), availability_figure(run)):
        if fig is None:
            continue
        lanes = fig.axes[-1]
        assert sum(1 for a in lanes.collections + lanes.lines if a.get_gid() == "fault-lane") >= 10
        for ax in fig.axes[:-1]:
            assert not [t for t in ax.texts if t.get_gid() == "fault-label"]
        _assert_readable(fig)


def test_lock_timeline_labels_do_not_overlap_and_a_zero_width_overlap_shows(out):
    run = load_run(out / "locks_redlock-clock-jump.trace.jsonl")
    timeline = lock_timeline(run)
    fig = lock_timeline_figure(timeline, run)
    _assert_readable(fig)
    ax = fig.axes[0]
    (violation,) = timeline.violations
    assert violation["check"] == "overlap"
    c2 = next(c for c in timeline.clients if c.name == "c2")
    assert c2.beliefs[-1].end_ns - c2.beliefs[-1].start_ns < 1_000_000  # next to nothing
    markers = [line for line in ax.lines if line.get_gid() == "violation-marker"]
    assert len(markers) == 1 and len(markers[0].get_xdata()) == 2    # one on each client
    fig.draw_without_rendering()
    band = next(p for p in ax.patches if p.get_gid() == "violation-band")
    assert band.get_window_extent(fig.canvas.get_renderer()).width >= 4  # pixels
    many = lock_timeline_figure(lock_timeline(load_run(out / "locks_fenced-random-faults.trace.jsonl")),
                                load_run(out / "locks_fenced-random-faults.trace.jsonl"))
    assert _assert_readable(many) >= 20  # token labels kept, none over another

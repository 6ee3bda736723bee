"""Making and saving figures without pyplot: no global state, no display, Agg only.

Plot modules build a ``Figure`` with ``new_figure`` (so tests can inspect its axes and
artists) and write it with ``save_figure``.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

DPI = 110


def new_figure(width_in: float = 11.0, height_in: float = 6.0) -> Figure:
    fig = Figure(figsize=(width_in, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


# Labels that may be left out when they would print over another one or past their bar:
# the tidy pass at save time hides them (tidy_labels). Titles, axis labels, ticks and
# legends are never hidden.
TIDY_GIDS = ("fault-label", "fault-lane-label", "lock-label", "violation-label")


def bar_label(ax, x, y, text, x_end=None, gid="lock-label", **kwargs):
    """A label that ``tidy_labels`` may hide: when it overlaps an earlier one, or, given
    ``x_end`` (data units), when it runs past it."""
    t = ax.text(x, y, text, gid=gid, **kwargs)
    t.set_in_layout(False)
    t.dsim_x_end = x_end
    return t


def tidy_labels(fig: Figure) -> int:
    """Hides the labels (TIDY_GIDS) that run past their bar or overlap a legend or a label
    placed before them, after laying the figure out, so the boxes are those that will be drawn. Returns
    how many it hid."""
    texts = [t for ax in fig.axes for t in ax.texts if t.get_gid() in TIDY_GIDS and t.get_visible()]
    if not texts:
        return 0
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    # Legends are obstacles too: a label is never printed under one.
    kept = [lg.get_window_extent(renderer) for lg in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
            if lg is not None and lg.get_visible()]
    hidden = 0
    for t in texts:
        if not t.get_text().strip():
            continue
        box = t.get_window_extent(renderer)
        x_end = getattr(t, "dsim_x_end", None)
        too_long = x_end is not None and box.x1 > t.axes.transData.transform((x_end, 0))[0]
        if too_long or any(box.overlaps(k) for k in kept):
            t.set_visible(False)
            hidden += 1
        else:
            kept.append(box)
    return hidden


def count_axis(axis) -> None:
    """Ticks at whole numbers only, for an axis of counts (``ax.yaxis``, ``ax.xaxis``)."""
    axis.set_major_locator(MaxNLocator(integer=True))


def save_figure(fig: Figure, path: Path) -> Path:
    """Writes the PNG after the tidy pass; bbox_inches="tight" so no title, label or
    legend is ever cut."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tidy_labels(fig)
    fig.savefig(path, dpi=DPI, bbox_inches="tight", pad_inches=0.1)
    return path

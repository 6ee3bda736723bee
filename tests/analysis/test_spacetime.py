import pytest
from matplotlib.quiver import Quiver

from dsim_analysis.messages import message_flights
from dsim_analysis.spacetime import choose_view, render_spacetime, spacetime_figure
from synthetic import TraceBuilder

MS = 1_000_000


def gids(ax, prefix):
    """How many things with this gid prefix the axes hold: each arrow of a quiver and each
    point of a scatter counts."""
    n = 0
    for a in list(ax.patches) + list(ax.lines) + list(ax.collections):
        gid = a.get_gid() or ""
        if not gid.startswith(prefix):
            continue
        if isinstance(a, Quiver):
            n += a.N
        elif gid.startswith("drop"):
            n += len(a.get_offsets())
        else:
            n += 1
    return n


def small_story(tmp_path):
    b = TraceBuilder(nodes=("n0", "n1", "n2"), duration_ns=100 * MS)
    ok = b.send(1 * MS, "n0", "n1", "ping")
    dup = b.send(2 * MS, "n1", "n2", "ping", duplicated=True)
    b.send(3 * MS, "n2", "n0", "ping", dropped="loss")
    late = b.send(4 * MS, "n0", "n2", "pong")
    b.deliver(5 * MS, ok)
    b.deliver(6 * MS, dup)
    b.deliver(7 * MS, dup)
    b.fault(8 * MS, "crash", "n2")
    b.drop_on_arrival(9 * MS, late)
    b.proto(10 * MS, "n0", "suspect", peer="n2")
    b.fault(11 * MS, "partition", action="partition", groups=[["n0"]], cut=1)
    b.fault(12 * MS, "heal", cut=1, cuts_healed=1)
    b.fault(13 * MS, "restart", "n2")
    b.fault(14 * MS, "clock_jump", "n1", by_ns=3 * MS)
    return b.run(tmp_path)


def test_flights_know_what_became_of_each_message(tmp_path):
    flights = {f.id: f for f in message_flights(small_story(tmp_path))}
    assert flights[1].delivered_ns == [5 * MS] and not flights[1].duplicated
    assert flights[2].duplicated and flights[2].delivered_ns == [6 * MS, 7 * MS]
    assert flights[3].dropped_at_send == "loss" and not flights[3].delivered_ns
    assert flights[4].arrival_drops == [(9 * MS, "node_down")]


@pytest.mark.parametrize("time_axis", ["order", "linear"])
def test_diagram_draws_arrows_drops_and_faults(tmp_path, time_axis):
    run = small_story(tmp_path)
    view = choose_view(run, start_ns=0, end_ns=20 * MS)
    assert view.nodes == ["n0", "n1", "n2"] and len(view.flights) == 4
    ax = spacetime_figure(run, view, time_axis).axes[0]
    assert gids(ax, "msg-arrow") == 3            # one per delivered copy, the duplicate too
    assert gids(ax, "drop-at-send") == 1
    assert gids(ax, "drop-at-arrival") == 1
    assert gids(ax, "fault-crash") == 1 and gids(ax, "fault-partition") == 1
    assert gids(ax, "fault-clock") == 1
    assert gids(ax, "node-line") == 1 and len(ax.collections[0].get_segments()) == 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["n0", "n1", "n2"]


def test_default_view_centres_on_the_first_fault(default_run):
    view = choose_view(default_run)
    assert view.reason.startswith("first fault")
    assert len(view.flights) == 200
    assert view.start_ns <= 1_000_000_000 <= view.end_ns
    before = sum(f.send_ns < 1_000_000_000 for f in view.flights)
    assert before == 50  # a quarter before the fault, the rest after it
    ax = spacetime_figure(default_run, view).axes[0]
    assert gids(ax, "msg-arrow") == sum(len(f.delivered_ns) for f in view.flights)
    assert gids(ax, "drop-at-send") == sum(f.dropped_at_send is not None for f in view.flights) > 0


def test_failing_run_is_shown_up_to_its_violation(failing_run):
    view = choose_view(failing_run)
    t = failing_run.violations[0]["t_ns"]
    assert view.reason.startswith("first violation")
    assert view.flights[-1].send_ns <= t <= view.end_ns
    ax = spacetime_figure(failing_run, view).axes[0]
    assert sum(1 for line in ax.lines if line.get_gid() == "violation") == 1


def test_chosen_window_and_nodes(default_run):
    view = choose_view(default_run, start_ns=4000 * MS, end_ns=4300 * MS, nodes=["n2", "n3"])
    assert view.nodes == ["n2", "n3"] and view.reason == "chosen window"
    assert view.flights and all({f.src, f.dst} <= {"n2", "n3"} and 4000 * MS <= f.send_ns <= 4300 * MS
                                for f in view.flights)
    with pytest.raises(ValueError, match="n9"):
        choose_view(default_run, nodes=["n2", "n9"])


def test_many_nodes_keep_the_violators_and_the_busiest(tmp_path):
    names = [f"n{i}" for i in range(30)]
    b = TraceBuilder(nodes=names, duration_ns=100 * MS)
    for i in range(300):
        src, dst = names[i % 5], names[(i + 1) % 5]   # n0..n4 talk the most
        b.deliver(i * 10_000 + 5_000, b.send(i * 10_000, src, dst))
    b.deliver(3_100_000, b.send(3_000_000, "n17", "n0"))
    b.violation(3_200_000, "safety", ["n17"])
    run = b.run(tmp_path)
    view = choose_view(run, max_nodes=6)
    assert len(view.nodes) == 6 and "n17" in view.nodes
    assert {"n0", "n1", "n2", "n3", "n4"} <= set(view.nodes)
    assert render_spacetime(run, tmp_path / "out", max_nodes=6).is_file()

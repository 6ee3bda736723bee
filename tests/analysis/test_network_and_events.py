from collections import Counter

from dsim_analysis.faults import count_shaded, fault_windows
from dsim_analysis.network_rate import network_figure
from dsim_analysis.proto_timeline import proto_timeline_figure


def test_network_series_count_every_network_event(default_run):
    ax = network_figure(default_run).axes[0]
    series = {line.get_gid(): sum(line.get_ydata()) for line in ax.lines
              if (line.get_gid() or "").startswith("net-")}
    events = Counter(e["ev"] for e in default_run.events)
    drops = Counter(e["reason"] for e in default_run.events if e["ev"] == "drop")
    expected = {"net-sent": events["send"], "net-delivered": events["deliver"],
                "net-duplicated": events["duplicate"]}
    expected.update({f"net-dropped {reason}": n for reason, n in drops.items()})
    assert series == expected
    assert count_shaded(ax) == len(fault_windows(default_run.events, default_run.end_ns)) == 4


def test_protocol_events_one_marker_each_and_faults_on_their_nodes(heartbeat_run):
    fig = proto_timeline_figure(heartbeat_run)
    ax = fig.axes[0]
    names = Counter(e["name"] for e in heartbeat_run.proto_events())
    markers = {c.get_gid(): len(c.get_offsets()) for c in ax.collections
               if (c.get_gid() or "").startswith("proto-")}
    assert markers == {f"proto-{n}": k for n, k in names.items()}
    windows = fault_windows(heartbeat_run.events, heartbeat_run.end_ns)
    node_bars = sum(len(c.get_paths()) for c in ax.collections
                    if c.get_gid() in ("node-crash", "node-pause"))
    assert node_bars == sum(w.kind in ("crash", "pause") for w in windows) > 0
    assert count_shaded(ax) == sum(w.kind not in ("crash", "pause") for w in windows) > 0
    assert [t.get_text() for t in ax.get_yticklabels()] == heartbeat_run.node_names

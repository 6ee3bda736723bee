from dsim_analysis.availability import availability_figure, render_availability
from dsim_analysis.faults import count_shaded, fault_windows
from dsim_analysis.ops import client_ops, op_rates
from synthetic import TraceBuilder

MS = 1_000_000


def store_with_a_partition(tmp_path):
    """Puts every 10 ms; during a partition (300-500 ms) they time out, then some fail."""
    b = TraceBuilder(duration_ns=1000 * MS)
    for t in range(10, 1000, 10):
        if 300 < t <= 500:
            b.op(t * MS, "n0", "put", "timeout", 50 * MS)
        elif 500 < t <= 550:
            b.op(t * MS, "n1", "get", "fail", 2 * MS)
        else:
            b.op(t * MS, "n0", "put" if t % 20 else "get", "ok", 1 * MS + t)
        if t == 300:
            b.fault(t * MS, "partition", action="partition", groups=[["n0"]], cut=1)
        if t == 500:
            b.fault(t * MS, "heal", cut=1, cuts_healed=1)
    b.fault(700 * MS, "crash", "n2")
    b.fault(800 * MS, "restart", "n2")
    b.violation(900 * MS, "linearizable", ["n0"])
    return b.run(tmp_path)


def test_ops_follow_the_convention(tmp_path):
    ops = client_ops(store_with_a_partition(tmp_path))
    assert len(ops) == 99
    assert {o.outcome for o in ops} == {"ok", "fail", "timeout"}
    timeout = next(o for o in ops if o.outcome == "timeout")
    assert timeout.start_ns == timeout.end_ns - 50 * MS


def test_rates_count_every_op_once(tmp_path):
    ops = client_ops(store_with_a_partition(tmp_path))
    rates = op_rates(ops, 1000 * MS, 100 * MS)
    assert sum(sum(c) for c in rates.counts.values()) == len(ops)
    assert rates.counts["timeout"][4] == 10 and rates.counts["ok"][4] == 0  # 400-500 ms


def test_figure_has_rate_lines_latency_points_and_every_fault(tmp_path):
    run = store_with_a_partition(tmp_path)
    fig = availability_figure(run)
    rate_ax, latency_ax = fig.axes
    labels = sorted(line.get_label() for line in rate_ax.lines if line.get_gid().startswith("rate-"))
    assert labels == ["fail (5)", "ok (74)", "timeout (20)"]
    points = {c.get_gid(): len(c.get_offsets()) for c in latency_ax.collections}
    assert points == {"latency-get-ok": 37, "latency-get-fail": 5, "latency-put-ok": 37,
                      "latency-put-timeout": 20}
    windows = fault_windows(run.events, run.end_ns)
    assert len(windows) == 2
    assert count_shaded(rate_ax) == count_shaded(latency_ax) == len(windows)
    assert sum(1 for line in rate_ax.lines if line.get_gid() == "violation") == 1
    assert latency_ax.get_yscale() == "log"


def test_no_ops_no_picture(default_run, tmp_path):
    assert availability_figure(default_run) is None
    assert render_availability(default_run, tmp_path) is None


def test_writes_a_png(tmp_path):
    path = render_availability(store_with_a_partition(tmp_path), tmp_path / "out")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_familys_own_completion_events_are_ops(tmp_path):
    b = TraceBuilder(duration_ns=1000 * MS)
    b.proto(10 * MS, "c1", "op_done", kind="get", key="k", outcome="ok", latency_ns=3 * MS)
    b.proto(20 * MS, "client", "tx_result", kind="transfer", outcome="commit", latency_ns=5 * MS)
    b.proto(30 * MS, "client", "tx_result", kind="transfer", outcome="abort", latency_ns=6 * MS)
    b.proto(40 * MS, "client", "tx_result", kind="audit", outcome="unknown", timed_out=True, latency_ns=7 * MS)
    b.proto(50 * MS, "c2", "acquire_start", owner="c2/0/1")
    b.proto(80 * MS, "c2", "acquired", owner="c2/0/1", token=4)
    b.proto(90 * MS, "resource", "write_accepted", client="c2", token=4)
    b.proto(95 * MS, "resource", "write_rejected", client="c3", token=3)
    ops = client_ops(b.run(tmp_path))
    assert [(o.kind, o.outcome, o.latency_ns, o.node) for o in ops] == [
        ("get", "ok", 3 * MS, "c1"),
        ("transfer", "ok", 5 * MS, "client"),
        ("transfer", "fail", 6 * MS, "client"),
        ("audit", "timeout", 7 * MS, "client"),
        ("acquire", "ok", 30 * MS, "c2"),
        ("write", "ok", 0, "c2"),
        ("write", "fail", 0, "c3"),
    ]

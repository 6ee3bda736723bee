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
            b.op(t * MS, "n0", "put", "unknown", 50 * MS)
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
    assert {o.outcome for o in ops} == {"ok", "fail", "unknown"}
    unknown = next(o for o in ops if o.outcome == "unknown")
    assert unknown.start_ns == unknown.end_ns - 50 * MS and unknown.latency_ns == 50 * MS


def test_rates_count_every_op_once(tmp_path):
    ops = client_ops(store_with_a_partition(tmp_path))
    rates = op_rates(ops, 1000 * MS, 100 * MS)
    assert sum(sum(c) for c in rates.counts.values()) == len(ops)
    assert rates.counts["unknown"][4] == 10 and rates.counts["ok"][4] == 0  # 400-500 ms


def test_figure_has_rate_lines_latency_points_and_every_fault(tmp_path):
    run = store_with_a_partition(tmp_path)
    fig = availability_figure(run)
    rate_ax, latency_ax, lanes_ax = fig.axes
    labels = sorted(line.get_label() for line in rate_ax.lines if line.get_gid().startswith("rate-"))
    assert labels == ["fail (5)", "ok (74)", "unknown (20)"]
    points = {c.get_gid(): len(c.get_offsets()) for c in latency_ax.collections}
    assert points == {"latency-get-ok": 37, "latency-get-fail": 5, "latency-put-ok": 37,
                      "latency-put-unknown": 20}
    windows = fault_windows(run.events, run.end_ns)
    assert len(windows) == 2
    assert count_shaded(rate_ax) == count_shaded(latency_ax) == len(windows)
    lane_bars = [a for a in lanes_ax.collections + lanes_ax.lines if a.get_gid() == "fault-lane"]
    assert len(lane_bars) == len(windows)                     # each window in its lane, once
    assert [t.get_text() for t in lanes_ax.get_yticklabels()] == ["crash n2", "partitions"]
    assert sum(1 for line in rate_ax.lines if line.get_gid() == "violation") == 1
    assert latency_ax.get_yscale() == "log"


def test_no_ops_no_picture(default_run, tmp_path):
    assert availability_figure(default_run) is None
    assert render_availability(default_run, tmp_path) is None


def test_writes_a_png(tmp_path):
    path = render_availability(store_with_a_partition(tmp_path), tmp_path / "out")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_only_the_common_op_event_is_read(tmp_path):
    """A family's own completion events are for its checkers; the plots read only ``op``."""
    b = TraceBuilder(duration_ns=1000 * MS)
    b.proto(10 * MS, "c1", "op_done", kind="get", key="k", outcome="ok", latency_ns=3 * MS)
    b.proto(20 * MS, "client", "tx_result", kind="transfer", outcome="commit", latency_ns=5 * MS)
    b.proto(50 * MS, "c2", "acquire_start", owner="c2/0/1")
    b.proto(80 * MS, "c2", "acquired", owner="c2/0/1", token=4)
    b.proto(90 * MS, "resource", "write_accepted", client="c2", token=4)
    assert client_ops(b.run(tmp_path)) == []


def test_invocations_pair_with_completions_by_client_and_id(tmp_path):
    b = TraceBuilder(nodes=("c1", "c2"), duration_ns=1000 * MS)
    first = b.invoke(10 * MS, "c1", "write", {"n": 0})
    other = b.invoke(12 * MS, "c2", "write", {"n": 0})   # c2's id 1 too
    second = b.invoke(15 * MS, "c1", "acquire")
    b.complete(20 * MS, "c1", second, "acquire", "ok", {"token": 3})
    b.complete(30 * MS, "c2", other, "write", "fail")
    b.complete(40 * MS, "c1", first, "write", "info")    # not a known type: unknown
    b.complete(45 * MS, "c1", 99, "write", "ok")          # never invoked: skipped
    ops = client_ops(b.run(tmp_path))
    assert [(o.node, o.id, o.kind, o.outcome, o.start_ns, o.latency_ns) for o in ops] == [
        ("c1", 2, "acquire", "ok", 15 * MS, 5 * MS),
        ("c2", 1, "write", "fail", 12 * MS, 18 * MS),
        ("c1", 1, "write", "unknown", 10 * MS, 30 * MS),
    ]
    assert ops[0].value == {"token": 3} and ops[2].invoke_value == {"n": 0}


def test_a_crash_or_the_end_leaves_operations_never_completed(tmp_path):
    b = TraceBuilder(nodes=("c1", "c2"), duration_ns=1000 * MS)
    b.invoke(10 * MS, "c1", "put")
    b.fault(20 * MS, "crash", "c1")
    b.fault(30 * MS, "restart", "c1")
    again = b.invoke(40 * MS, "c1", "put")
    b.complete(50 * MS, "c1", again, "put", "ok")
    b.invoke(60 * MS, "c2", "get")                         # still open when the run ends
    run = b.run(tmp_path)
    ops = client_ops(run)
    assert [(o.node, o.completed, o.outcome, o.start_ns) for o in ops] == [
        ("c1", True, "ok", 40 * MS), ("c1", False, None, 10 * MS), ("c2", False, None, 60 * MS)]
    fig = availability_figure(run)
    latency_ax = fig.axes[1]
    never = next(c for c in latency_ax.collections if c.get_gid() == "latency-never")
    assert len(never.get_offsets()) == 2
    assert sum(sum(c) for c in op_rates(ops, run.end_ns, 100 * MS).counts.values()) == 1


def test_a_restarted_client_reusing_an_id_pairs_with_its_own_invocation(tmp_path):
    b = TraceBuilder(nodes=("c1",), duration_ns=1000 * MS)
    b.proto(10 * MS, "c1", "op", type="invoke", id=1, op="put", value=None)
    b.fault(20 * MS, "crash", "c1")
    b.fault(30 * MS, "restart", "c1")
    b.proto(40 * MS, "c1", "op", type="invoke", id=1, op="put", value=None)
    b.proto(45 * MS, "c1", "op", type="ok", id=1, op="put", value=None)
    ops = client_ops(b.run(tmp_path))
    assert [(o.start_ns, o.latency_ns) for o in ops] == [(40 * MS, 5 * MS), (10 * MS, None)]

from dsim_analysis.faults import count_shaded, fault_windows, shade_faults
from dsim_analysis.figures import new_figure
from synthetic import TraceBuilder


def test_pairs_faults_and_closes_what_is_open_at_the_end(tmp_path):
    b = TraceBuilder()
    b.fault(100, "pause", "n1")
    b.fault(200, "crash", "n1")            # ends the pause without a resume
    b.fault(300, "restart", "n1")
    b.fault(400, "partition", action="partition", groups=[["n0"]], cut=1)
    b.fault(450, "partition", action="isolate", node="n2", cut=2)
    b.fault(500, "heal", cuts_healed=2)    # heal everything
    b.fault(600, "clock_jump", "n0", by_ns=5_000_000)
    b.fault(700, "crash", "n2")            # still down at the end
    run = b.run(tmp_path)
    got = [(w.start_ns, w.end_ns, w.kind, w.node) for w in fault_windows(run.events, run.end_ns)]
    assert got == [(100, 200, "pause", "n1"), (200, 300, "crash", "n1"),
                   (400, 500, "partition", None), (450, 500, "partition", None),
                   (600, 600, "clock", "n0"), (700, run.end_ns, "crash", "n2")]


def test_stalls_and_disk_faults_are_windows_on_their_node(tmp_path):
    b = TraceBuilder()
    b.fault(100, "stall", "n1", action="stall", timers=["tick"], stall=1)
    b.fault(150, "disk_fault_start", "n0", action="disk_fail", ops=["sync"], mode="hang", window=2)
    b.fault(200, "stall_end", "n1", stall=1, held=3)
    b.fault(250, "disk_fault_start", "n2", action="disk_slow", window=3)  # open at the end
    b.fault(300, "disk_fault_end", "n0", window=2)
    run = b.run(tmp_path)
    got = [(w.start_ns, w.end_ns, w.kind, w.node, w.label) for w in fault_windows(run.events, run.end_ns)]
    assert got == [(100, 200, "stall", "n1", "stall n1 tick"),
                   (150, 300, "disk", "n0", "disk_fail hang sync n0"),
                   (250, run.end_ns, "disk", "n2", "disk_slow n2")]


def test_default_scenario_has_its_four_scripted_faults(default_run):
    windows = fault_windows(default_run.events, default_run.end_ns)
    assert [(w.kind, w.start_ns, w.end_ns) for w in windows] == [
        ("partition", 1_000_000_000, 3_000_000_000), ("crash", 4_000_000_000, 5_500_000_000),
        ("pause", 6_000_000_000, 6_800_000_000), ("clock", 7_000_000_000, 7_000_000_000)]


def test_shading_draws_one_artist_per_window(default_run):
    windows = fault_windows(default_run.events, default_run.end_ns)
    ax = new_figure().add_subplot()
    assert shade_faults(ax, windows) == 4
    assert count_shaded(ax) == 4

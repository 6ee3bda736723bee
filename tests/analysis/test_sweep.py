import json

from dsim_analysis.sweep import failed_check, failure_time_ns, load_sweep, replay_command
from dsim_analysis.sweep_plots import failures_figure, fault_mix_figure, render_sweep, spread_figure


def write_sweep(path):
    records = []
    for seed in range(1, 41):
        kinds = ["crash", "pause"] if seed % 2 else ["partition"]
        r = {"seed": seed, "verdict": "pass", "failed_check": "", "events": 1000 + seed,
             "sim_time_ns": 10_000_000_000, "wall_ms": 5 + seed % 7, "fault_mix": kinds,
             "scenario": "scenarios/x.json"}
        if seed % 10 == 0:
            r.update(verdict="fail", failed_check="atomicity", when_ns=seed * 100_000_000)
        elif seed % 7 == 0:
            r.update(verdict="fail", failed_check="liveness", when_ns=9_000_000_000)
        records.append(r)
    text = "".join(json.dumps(r) + "\n" for r in records) + '{"seed": 41, "verd'  # killed mid-line
    path.write_text(text)
    return records


def test_reads_records_and_classifies_failures(tmp_path):
    write_sweep(tmp_path / "s.jsonl")
    res = load_sweep(tmp_path / "s.jsonl")
    assert len(res.records) == 40 and res.bad_lines == 1
    assert [failed_check(r) for r in res.failures].count("atomicity") == 4
    assert [failed_check(r) for r in res.failures].count("liveness") == 5
    assert failure_time_ns(res.failures[0]) == 9_000_000_000  # seed 7: liveness
    assert replay_command(res.failures[0]) == "dsim run scenarios/x.json --seed 7"


def test_failure_bars_and_fault_mix(tmp_path):
    write_sweep(tmp_path / "s.jsonl")
    res = load_sweep(tmp_path / "s.jsonl")
    ax = failures_figure(res).axes[0]
    heights = {t.get_text(): p.get_height() for t, p in zip(ax.get_xticklabels(), ax.patches)}
    assert heights == {"pass": 31, "atomicity": 4, "liveness": 5}
    mix = fault_mix_figure(res).axes[0]
    assert [t.get_text() for t in mix.get_xticklabels()] == ["crash", "partition", "pause"]
    assert [p.get_height() for p in mix.patches] == [20, 20, 20, 3, 6, 3]  # enabled, then failed
    assert len(spread_figure(res).axes) == 3
    names = sorted(p.name for p in render_sweep(res, tmp_path / "out"))
    assert names == ["sweep_failure_times.png", "sweep_failures.png", "sweep_fault_mix.png",
                     "sweep_spread.png"]

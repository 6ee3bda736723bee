"""Writes the report's index.html: per run the verdict, the violations with the exact
command that replays them, the metrics and the pictures; per sweep the failure counts and
failing seeds; errors of plot modules shown where they happened. Self-contained: one HTML
file with relative links to the PNGs beside it.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .sweep import SweepResults, failed_check, replay_command
from .trace_io import Run

MAX_FAILING_SEEDS = 100
MAX_VIOLATIONS_OPEN = 10  # more than this and the violations table starts folded
STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;
font-size:13px;text-align:left;vertical-align:top}code,pre{background:#f4f4f4;padding:1px 4px}
.pass{color:#1a7f37;font-weight:bold}.fail{color:#b00020;font-weight:bold}
.unexpected{background:#fde2e1}.error{background:#fff4e5;border:1px solid #f0a020;padding:.5em}
.not-shown{background:#fff4e5}
.refused,.not_run,.interrupted,.not_written,.outputs_missing,.internal_error{color:#a05a00;font-weight:bold}
figure{display:inline-block;margin:.5em}figure img{max-width:100%;border:1px solid #ddd}
section{border-top:2px solid #ddd;margin-top:2em}details{margin:.5em 0}
"""


@dataclass
class RunSection:
    run: Run
    pictures: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (what, message)
    expectation: dict | None = None  # the run's entry in run-set's index.json
    perfetto: Path | None = None


# Why a run-set index.json entry has no trace or summary, labelled as run-set prints it.
NO_OUTPUTS = {"refused": ("REFUSED", "Refused while it ran (bad input found at run time, "
                          "e.g. simulated time stood still): nothing was written."),
              "not_run": ("NOT RUN", "Not run: the set was stopped by a signal before it "
                          "reached this scenario."),
              "interrupted": ("INTERRUPTED", "Stopped by a signal while it ran, and its "
                              "outputs could not be written."),
              "not_written": ("NOT WRITTEN", "It ran, but its outputs could not be written "
                              "and were discarded."),
              "outputs_missing": ("OUTPUTS MISSING", "index.json lists its outputs, but they "
                                  "are not in the folder.")}


@dataclass
class ListedRun:
    """A run-set index.json entry with no trace or summary to show: listed with its verdict
    and error, never drawn, never counted as passing."""
    entry: dict
    name: str  # as run-set names the scenario's outputs

    @property
    def status(self) -> str:
        """A key of NO_OUTPUTS."""
        verdict = self.entry.get("verdict")
        if verdict in ("refused", "not_run", "interrupted"):
            return verdict
        return "not_written" if self.entry.get("error") else "outputs_missing"

    @property
    def error(self) -> str:
        if self.entry.get("error"):
            return str(self.entry["error"])
        listed = [str(self.entry[k]) for k in ("trace", "summary") if self.entry.get(k)]
        return f"not found: {', '.join(listed)}" if listed else ""


@dataclass
class SweepSection:
    results: SweepResults
    pictures: list[Path] = field(default_factory=list)


@dataclass
class StatsSection:  # a `dsim ring-stats` result, drawn by the plot modules
    path: Path
    pictures: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def _rel(path: Path, base: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


def _verdict(v: str) -> str:
    # "error": a run that ended in an internal error (its trace's closing line says so).
    return f'<span class="{esc("internal_error" if v == "error" else v)}">{esc(v.upper())}</span>'


def _no_outputs_label(r: ListedRun) -> str:
    return f'<span class="{esc(r.status)}">{esc(NO_OUTPUTS[r.status][0])}</span>'


def _expected(e: dict) -> str:
    return "pass" if e.get("expected_exit", 0) == 0 else f"fail {e.get('expected_check')}"


def _figures(pictures: list[Path], base: Path) -> str:
    return "".join(f'<figure><a href="{esc(_rel(p, base))}"><img src="{esc(_rel(p, base))}" '
                   f'loading="lazy"></a><figcaption>{esc(Path(p).name)}</figcaption></figure>'
                   for p in pictures)


def _errors(errors: list[tuple[str, str]]) -> str:
    return "".join(f'<div class="error">plot error in <b>{esc(who)}</b>'
                   f'<details><summary>traceback</summary><pre>{esc(text)}</pre></details></div>'
                   for who, text in errors)


def flatten(metrics, prefix: str = "") -> list[tuple[str, object]]:
    """{"sim": {"sent": 3}} -> [("sim.sent", 3)]; lists stay whole."""
    if not isinstance(metrics, dict):
        return [(prefix, metrics)]
    rows = []
    for key, value in metrics.items():
        rows += flatten(value, f"{prefix}.{key}" if prefix else str(key))
    return rows


def _run_facts(r: RunSection) -> str:
    s, run, end = r.run.summary, r.run, r.run.end or {}
    facts = [("scenario", s.get("scenario") or run.header.get("scenario")),
             ("file", s.get("file") or run.header.get("file")),
             ("seed", s.get("seed", run.header.get("seed"))),
             ("protocol", f"{run.protocol} / {s.get('variant') or run.header.get('variant', '')}"),
             ("events processed", s.get("events_processed", end.get("events_processed"))),
             ("simulated time", s.get("sim_time")),
             ("stopped by", s.get("stopped_by", end.get("stopped_by"))),
             # A streamed trace of a run refused while it ran, or ended by an internal error.
             ("error", end.get("error"))]
    if s.get("bound_hit"):
        facts.append(("bound hit", s["bound_hit"]))
    if (s.get("trace") or {}).get("truncated"):
        facts.append(("trace", f"TRUNCATED ({s['trace'].get('lines_dropped')} lines dropped)"))
    if r.expectation is not None:
        e = r.expectation
        verdict = "as expected" if e.get("as_expected") else "UNEXPECTED"
        facts.append(("expected", f"{_expected(e)} — {verdict}"))
    return _facts_table(facts)


def _facts_table(facts: list[tuple[str, object]]) -> str:
    return "<table>" + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>"
                               for k, v in facts if v not in (None, "")) + "</table>"


def grouped_checks(violations: list[dict]) -> str:
    """The failed checks with their counts, in order of first failure: "fresh_reads (38)"."""
    counts = Counter(v.get("check", "violation") for v in violations)
    return ", ".join(f"{check} ({n})" for check, n in counts.items())


def _violations(run: Run) -> str:
    if not run.violations:
        return "<p>No violations.</p>"
    replay = run.summary.get("replay", "")
    head = f'<p class="checks">Failed: {esc(grouped_checks(run.violations))}</p>'
    rows = "".join(f"<tr><td>{esc(v.get('check'))}</td><td>{esc(v.get('time', v.get('t_ns')))}</td>"
                   f"<td>{esc(', '.join(v.get('nodes', [])))}</td>"
                   f"<td>{esc(v.get('message'))}</td></tr>"
                   for v in run.violations)
    table = f"<table><tr><th>check</th><th>at</th><th>nodes</th><th>what</th></tr>{rows}</table>"
    if len(run.violations) > MAX_VIOLATIONS_OPEN:
        table = f"<details><summary>all {len(run.violations)} violations</summary>{table}</details>"
    out = head + table
    if replay:
        out += f"<p>Replay exactly: <code>{esc(replay)}</code></p>"
    elif not run.summary:
        out += "<p>No summary beside the trace: the replay command is in the run's summary.</p>"
    return out


def _run_section(r: RunSection, base: Path) -> str:
    run = r.run
    parts = [f'<section id="{esc(run.name)}"><h2>{esc(run.name)} {_verdict(run.verdict)}</h2>',
             _run_facts(r), "<h3>Violations</h3>", _violations(run)]
    if run.summary.get("replay") and not run.violations:
        parts.append(f"<p>Replay: <code>{esc(run.summary['replay'])}</code></p>")
    rows = flatten(run.summary.get("metrics", {}))
    if rows:
        parts.append("<details><summary>Metrics</summary><table>" + "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(json.dumps(v) if isinstance(v, (list, dict)) else v)}"
            f"</td></tr>" for k, v in rows) + "</table></details>")
    if r.perfetto is not None:
        parts.append(f'<p>Perfetto trace: <a href="{esc(_rel(r.perfetto, base))}">'
                     f"{esc(r.perfetto.name)}</a> (open it in ui.perfetto.dev)</p>")
    parts += [_errors(r.errors), _figures(r.pictures, base), "</section>"]
    return "".join(parts)


def _listed_section(r: ListedRun) -> str:
    e = r.entry
    ran = e.get("verdict") if r.status == "not_written" else None
    if ran and e.get("failed_check"):
        ran = f"{ran} {e['failed_check']}"
    facts = [("scenario", e.get("scenario")), ("file", e.get("file")), ("seed", e.get("seed")),
             ("run ended", ran), ("expected", _expected(e))]
    error = (f'<div class="error">dsim: <code>{esc(r.error)}</code></div>' if r.error else "")
    return (f'<section id="{esc(r.name)}"><h2>{esc(r.name)} {_no_outputs_label(r)}</h2>'
            f"<p>{esc(NO_OUTPUTS[r.status][1])}</p>{_facts_table(facts)}{error}"
            "<p>No trace or summary: no pictures.</p></section>")


def _sweep_section(s: SweepSection, base: Path) -> str:
    res = s.results
    fails = res.failures
    head = (f'<section><h2>Sweep {esc(res.path.name)}</h2><p>{len(res.records)} seeds, '
            f'<span class="fail">{len(fails)} failed</span>'
            + (f", {res.bad_lines} other lines skipped" if res.bad_lines else "") + "</p>")
    rows = "".join(f"<tr><td>{esc(r['seed'])}</td><td>{esc(failed_check(r))}</td>"
                   f"<td><code>{esc(replay_command(r) or '')}</code></td></tr>"
                   for r in fails[:MAX_FAILING_SEEDS])
    table = (f"<table><tr><th>seed</th><th>failed check</th><th>replay</th></tr>{rows}</table>"
             if fails else "")
    hidden = len(fails) - MAX_FAILING_SEEDS
    more = f"<p>... and {hidden} more.</p>" if hidden > 0 else ""
    return head + table + more + _figures(s.pictures, base) + "</section>"


def _stats_section(s: StatsSection, base: Path) -> str:
    return (f"<section><h2>Ring statistics {esc(s.path.name)}</h2>"
            + (_errors(s.errors) or ("" if s.pictures else "<p>No plot module drew these.</p>"))
            + _figures(s.pictures, base) + "</section>")


def _listed_row(r: ListedRun) -> str:
    return (f'<tr class="not-shown"><td><a href="#{esc(r.name)}">{esc(r.name)}</a></td>'
            f"<td>{_no_outputs_label(r)}</td><td>{esc(r.entry.get('failed_check') or '')}</td>"
            f'<td colspan="3">{esc(r.error or NO_OUTPUTS[r.status][1])}</td></tr>')


def _overview(runs: list[RunSection | ListedRun]) -> str:
    if not runs:
        return ""
    rows = []
    for r in runs:
        if isinstance(r, ListedRun):
            rows.append(_listed_row(r))
            continue
        e = r.expectation or {}
        unexpected = e and not e.get("as_expected", True)
        rows.append(f'<tr class="{"unexpected" if unexpected else ""}">'
                    f'<td><a href="#{esc(r.run.name)}">'
                    f"{esc(r.run.name)}</a></td><td>{_verdict(r.run.verdict)}</td>"
                    f"<td>{esc(grouped_checks(r.run.violations))}</td>"
                    f"<td>{'UNEXPECTED' if unexpected else ('as expected' if e else '')}</td>"
                    f"<td>{len(r.pictures)}</td><td>{len(r.errors) or ''}</td></tr>")
    return ("<table><tr><th>run</th><th>verdict</th><th>failed checks</th><th>expectation</th>"
            "<th>pictures</th><th>plot errors</th></tr>" + "".join(rows) + "</table>")


def write_index_html(out_dir: Path, title: str, runs: list[RunSection | ListedRun],
                     sweeps: list[SweepSection], stats: list[StatsSection],
                     notes: list[str] = ()) -> Path:
    base = Path(out_dir)
    body = [f"<h1>{esc(title)}</h1>"] + [f"<p>{esc(n)}</p>" for n in notes]
    body.append(_overview(runs))
    body += [_sweep_section(s, base) for s in sweeps]
    body += [_stats_section(s, base) for s in stats]
    body += [_listed_section(r) if isinstance(r, ListedRun) else _run_section(r, base)
             for r in runs]
    text = (f'<!doctype html><html><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n")
    path = base / "index.html"
    path.write_text(text, encoding="utf-8")
    return path

"""The duration rule, one rule for dsim and the schema: a duration text is read exactly to
the nanosecond or refused (never rounded), of at most 365 days. The schema's $defs patterns
are generated from the rule (tests/core/scenario_duration_patterns.py), accept a text
exactly when the rule does, and dsim refuses a text exactly when the rule does."""
import copy
import json
import os
import pathlib
import subprocess

import jsonschema

from scenario_duration_patterns import duration_defs, reference

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
DSIM = os.environ.get("DSIM_BINARY", str(ROOT / "build" / "dsim"))


def test_duration_patterns_are_generated_from_the_rule():
    for name, made in duration_defs().items():
        assert SCHEMA["$defs"][name] == made, "stale: run python3 tests/core/test_scenario_schema.py --update"


def duration_texts(count, seed):
    """Texts near every edge of the rule: fractions of each length in each unit, the 365-day
    bound, signs, leading zeros, recurring 6s and 7s around 1ms in m and h."""
    import random
    rng = random.Random(seed)
    units = ["ns", "us", "µs", "ms", "s", "m", "h", ""]
    out = ["8760h", "8761h", "8760.0h", "8760.00001h", "525600m", "525600.5m", "31536000.000000001s",
           "31536000000000000", "31536000000000001", "0008760h", ".000016667m", ".000016666m", "0.5ns", "1.0000000001s",
           ".0s", "0.0h", "1.00000000050m", "0.000000000005m", "0.0000000000005h", "0.00000000000025h", "5.s", ".ms"]
    for _ in range(count):
        whole = rng.choice(["", "0", "00", str(rng.randint(0, 10 ** rng.randint(0, 18)))])
        frac = rng.choice(["", ".", "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 15))),
                           "." + "0" * rng.randint(0, 12) + rng.choice(["5", "25", "75", "125", "1"]) + "0" * rng.randint(0, 3),
                           ".0000" + rng.choice(["16", "166", "1666"]) + rng.choice("0123456789"),
                           ".000000" + rng.choice(["27", "277", "2777"]) + rng.choice("0123456789")])
        out.append(rng.choice(["", "", "-"]) + whole + frac + rng.choice(units))
    return out


def test_duration_patterns_say_the_rule():
    """Each $defs pattern accepts a text exactly when the rule does (its value exact in ns,
    at most 365 days; above 0, at least 1ms, or signed, as the def says)."""
    defs = {name: jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})
            for name in ("duration", "positive_duration", "period", "signed_duration")}
    wrong = []
    for text in duration_texts(20000, seed=13):
        unsigned, signed = reference(text), reference(text, signed=True)
        want = {"duration": unsigned is not None, "positive_duration": unsigned is not None and unsigned > 0,
                "period": unsigned is not None and unsigned >= 10**6, "signed_duration": signed is not None}
        for name, validator in defs.items():
            if validator.is_valid(text) != want[name]:
                wrong.append(f"{name} {text!r}: schema {validator.is_valid(text)}, rule {want[name]}")
    assert not wrong, "\n".join(wrong[:20])


def test_dsim_reads_durations_by_the_rule(tmp_path):
    """dsim refuses a duration text exactly when the rule does (as a heartbeat scenario's
    signed clock offset). The values it reads are pinned to the nanosecond by the C++ test
    ScenarioTimes.DurationsAreExactOrRefused."""
    base = json.loads((ROOT / "scenarios" / "default.json").read_text())
    texts = duration_texts(60, seed=14)
    wrong = []
    for i, text in enumerate(texts):
        doc = copy.deepcopy(base)
        doc.setdefault("clocks", {})["nodes"] = {"n1": {"offset": text}}
        path = tmp_path / f"case{i}.json"
        path.write_text(json.dumps(doc))
        done = subprocess.run([DSIM, "run", str(path), "-q", "--set", "limits.max_events=1"],
                              capture_output=True, text=True, timeout=60)
        want = reference(text, signed=True)
        if (done.returncode == 2) != (want is None):
            wrong.append(f"{text!r}: dsim exit {done.returncode}, rule {want}: {done.stderr.strip()}")
    assert not wrong, "\n".join(wrong)

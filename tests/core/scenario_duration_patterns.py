"""The scenario schema's duration patterns ($defs duration_text, signed_duration_text and the
duration, positive_duration, period and signed_duration built on them), made from dsim's one rule for durations, so the schema says exactly what
the loader does (sim/core/duration_text.h, ConfigReader::optional_duration):

- a duration is a whole number of nanoseconds, read exactly or refused, never rounded: a
  fraction is allowed in any unit while the value stays whole in ns ("1.5us", "0.000016667m"
  = 1000020ns; "0.5ns" and "1.0000000001s" are refused);
- its magnitude is at most 365 days ("8760h", 31536000000000000 ns);
- integer nanoseconds may be written as any JSON number whose fraction is zero (150, 150.0),
  which JSON Schema's "integer" already means; as a string, bare digits are nanoseconds.

`python3 tests/core/test_scenario_schema.py --update` writes them; `reference` is the rule
in Python, which the tests hold both the patterns and dsim to."""
import re
from fractions import Fraction

UNITS = {"ns": 1, "us": 1000, "µs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
MAX_NS = 365 * 24 * 3600 * 10**9
# The fraction digits (trailing zeros aside, which change nothing) that keep a value whole
# in ns: 10^k must divide fraction * unit. For m (6 * 10^10 ns) 10 digits, or 11 ending in
# 5; for h (36 * 10^11 ns) 11 digits, 12 ending in 5, or 13 ending in 25 or 75.
WHOLE_FRACTION = {"ns": "", "us": "[0-9]{0,3}", "µs": "[0-9]{0,3}", "ms": "[0-9]{0,6}", "s": "[0-9]{0,9}",
                  "m": "[0-9]{0,10}|[0-9]{10}5", "h": "[0-9]{0,11}|[0-9]{11}5|[0-9]{11}[27]5"}
# At least 1ms (a timer's period, kPeriodFloor), for a value already exact and within range:
# 1ms is 0.0000166...m (recurring 6) and 0.000000277...h (recurring 7).
AT_LEAST_1MS = ("^(0*[1-9][0-9]{6,}|0*[1-9][0-9]{6,}(\\.[0-9]*)?ns|0*[1-9][0-9]{3,}(\\.[0-9]*)?(us|µs)|"
                "0*[1-9][0-9]*(\\.[0-9]*)?(ms|s|m|h)|0*\\.0{0,2}[1-9][0-9]*s|0*\\.0{0,3}[1-9][0-9]*m|"
                "0*\\.0000([2-9]|1[7-9]|166*[7-9])[0-9]*m|0*\\.0{0,5}[1-9][0-9]*h|"
                "0*\\.000000([3-9]|2[89]|277*[89])[0-9]*h)$")
ABOVE_ZERO = "^(?=[^1-9]*[1-9])"


def below(limit):
    """A pattern for the digits of a whole number below `limit` (leading zeros allowed)."""
    digits = str(limit)
    alts = [f"[0-9]{{0,{len(digits) - 1}}}"]
    for i, d in enumerate(digits):
        if d != "0":
            rest = len(digits) - i - 1
            lower = "0" if d == "1" else f"[0-{int(d) - 1}]"
            alts.append(digits[:i] + lower + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join(alts) + ")"


def exact(sign):
    """NUMBER[UNIT] whose value is whole in ns (bare digits: ns)."""
    units = [f"(?:[0-9]+(?:\\.(?:{f})0*)?|\\.(?=[0-9])(?:{f})0*){u}" for u, f in WHOLE_FRACTION.items()]
    return f"^{sign}(?:[0-9]+|" + "|".join(units) + ")$"


def within_365_days(sign):
    """NUMBER[UNIT] of magnitude at most 365 days, for a text of the exact shape."""
    alts = [f"0*(?:{below(MAX_NS)}|{MAX_NS})"]
    for u, ns in UNITS.items():
        limit = MAX_NS // ns
        alts.append(f"0*(?:{below(limit)}(?:\\.[0-9]*)?|{limit}(?:\\.0*)?){u}")
    return f"^{sign}(?:" + "|".join(alts) + ")$"


def duration_defs():
    ns = {"type": "integer", "minimum": 0, "maximum": MAX_NS}
    return {
        "duration_text": {
            "description": "A duration as text, unsigned: exact in ns and at most 365 days.",
            "type": "string", "allOf": [{"pattern": exact("")}, {"pattern": within_365_days("")}],
        },
        "signed_duration_text": {
            "description": "A duration as text, with an optional '-': exact in ns and at most 365 days either way.",
            "type": "string", "allOf": [{"pattern": exact("-?")}, {"pattern": within_365_days("-?")}],
        },
        "duration": {
            "description": "\"150ms\", \"2s\", \"1.5s\", \"250us\", \"10ns\", \"3m\", \"1h\", or an integer number of "
                           "nanoseconds (also as a string, \"150\"); at most 365 days (\"8760h\"); a whole number of "
                           "nanoseconds, never rounded (\"0.5ns\" and \"1.0000000001s\" are refused).",
            "oneOf": [{"$ref": "#/$defs/duration_text"}, ns],
        },
        "positive_duration": {"description": "A duration above zero.",
                              "oneOf": [{"$ref": "#/$defs/duration_text", "pattern": ABOVE_ZERO}, {**ns, "minimum": 1}]},
        "period": {
            "description": "A timer's period: a duration of at least 1ms (a shorter one only spins the simulation; "
                           "fractions of a minute or an hour from 0.0000166667m and 0.000000277778h).",
            "oneOf": [{"$ref": "#/$defs/duration_text", "pattern": AT_LEAST_1MS}, {**ns, "minimum": 10**6}],
        },
        "signed_duration": {"oneOf": [{"$ref": "#/$defs/signed_duration_text"}, {**ns, "minimum": -MAX_NS}]},
    }


def reference(text, signed=False):
    """The rule in Python: the value in ns, or None when dsim refuses the text."""
    m = re.fullmatch(r"(-?)([0-9]*)(?:(\.)([0-9]*))?(ns|us|µs|ms|s|m|h)?", text)
    if not m or (m.group(1) and not signed):
        return None
    whole, dot, frac, unit = m.group(2), m.group(3), m.group(4) or "", m.group(5)
    if not whole and not frac:
        return None
    if unit is None and dot:
        return None  # bare digits are ns: no fraction
    value = (Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)) * UNITS.get(unit, 1)
    if value.denominator != 1 or value > MAX_NS:
        return None
    return -int(value) if m.group(1) else int(value)

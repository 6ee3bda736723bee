"""Every shipped scenario validates against scenarios/scenario.schema.json, and the schema
rejects what dsim rejects (so editors flag it too).

The schema's protocol part (family names; per family its variants, settings and checks) is
generated from `dsim describe --json`, the loader's own tables: a test checks it is
current, and `python3 tests/core/test_scenario_schema.py --update [DSIM]` rewrites it.
Each case the schema must refuse is also run through dsim, which must refuse it too."""
import copy
import json
import os
import pathlib
import subprocess
import sys

import jsonschema
import pytest

from scenario_duration_patterns import duration_defs

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "scenarios" / "scenario.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text())
FILES = sorted(p for p in (ROOT / "scenarios").rglob("*.json") if ".schema." not in p.name)
DSIM = os.environ.get("DSIM_BINARY", str(ROOT / "build" / "dsim"))


# ---- the protocol part, generated from `dsim describe --json` -------------------------

def required(row):
    """A row the loader needs (a scripted transaction's "at"): neither absent nor null."""
    return row.get("default_note") == "required"


def nullable(out):
    """`out`, or null: the loader reads a null setting as one left out (its default), for
    every row but the required ones (ConfigReader::get)."""
    if "$ref" in out:
        return {"anyOf": [out, {"type": "null"}]}
    if "enum" in out:
        return {**out, "enum": out["enum"] + [None]}
    return {**out, "type": [out["type"], "null"]}


# An object row with no rows of its own is a map {name: value}: its values, kept by hand.
MAPS = {"workload.starts": {"$ref": "#/$defs/duration"}}  # locks: {client name: start time}


def setting_schema(row, rows):
    t = row["type"]
    if t == "integer":
        out = {"type": "integer", "minimum": row["min"], "maximum": row["max"]}
    elif t == "number":
        out = {"type": "number", "minimum": row["min"], "maximum": row["max"]}
    elif t == "duration":
        out = {"$ref": "#/$defs/positive_duration" if row["positive"] else "#/$defs/duration"}
        if row.get("period_min"):
            assert row["period_min"] == "1ms", "the schema's $defs/period is at least 1ms"
            out = {"$ref": "#/$defs/period"}
    elif t == "boolean":
        out = {"type": "boolean"}
    elif t == "choice":
        out = {"enum": row["choices"]}
    elif t == "string":
        out = {"type": "string"}
    elif t == "names":  # a required one names at least one
        out = {"$ref": "#/$defs/some_nodes" if required(row) else "#/$defs/nodes"}
    elif t == "object":
        inner = section_schema(row["section"] + "." + row["key"], rows)
        out = inner if inner["properties"] else {"type": "object"}
        if row["section"] + "." + row["key"] in MAPS:
            out["additionalProperties"] = nullable(MAPS[row["section"] + "." + row["key"]])
    elif t == "list":
        out = {"type": "array", "items": section_schema(row["section"] + "." + row["key"] + "[]", rows)}
    else:
        raise ValueError(f"unknown setting type {t}")
    if not required(row):
        out = nullable(out)
    description = row["meaning"]
    if row.get("unit"):
        description += f" ({row['unit']})"
    if row.get("period_min"):
        description += f" (a timer's period: at least {row['period_min']})"
    if row.get("when"):
        (choice, values), = row["when"].items()
        description += f" (only with {choice} {', '.join(v if isinstance(v, str) else json.dumps(v) for v in values)})"
    if row.get("when_nonzero"):
        description += f" (only with {row['when_nonzero']} above 0)"
    if row.get("roles"):
        description += f" (only with nodes of role {', '.join(row['roles'])})"
    if row.get("checks"):
        description += f" (only with the check{'s' if len(row['checks']) > 1 else ''} {', '.join(row['checks'])})"
    out = {**out, "description": description}
    if row["default"] is not None:
        out["default"] = row["default"]
    return out


def section_schema(section, rows, extra=None):
    props = dict(extra or {})
    needed = []
    for row in rows:
        if row["section"] == section:
            props[row["key"]] = setting_schema(row, rows)
            if required(row):
                needed.append(row["key"])
    out = {"type": "object", "additionalProperties": False, "properties": props}
    if needed:
        out["required"] = needed
    return out


def left_out(key):
    """`key` absent or null (the loader reads null as left out): holds for a null or absent
    parent too, which sets nothing."""
    return {"properties": {key: {"type": "null"}}}


def other_variants(family, variants):
    """Matches a protocol object whose variant is not one of `variants`."""
    if family["default_variant"] not in variants:
        return {"properties": {"variant": {"not": {"enum": variants}}}}
    # Absent or null means the default, one of them.
    return {"required": ["variant"], "properties": {"variant": {"not": {"enum": variants + [None]}}}}


def variant_rules(family):
    """A key read by some variants only is refused under the others; a switch that only
    some variants take keeps its default under the others."""
    rules = []
    for row in family["settings"]:
        if "variants" in row and row["section"] == "protocol":
            rules.append({"if": other_variants(family, row["variants"]),
                          "then": left_out(row["key"])})
        if "only_in" in row and row["section"] in ("protocol", "protocol.mistakes"):
            # At its default, or null (the same), it may stay.
            kept = {"enum": [row["default"], None]} if row["default"] is not None else {"type": "null"}
            then = {"properties": {row["key"]: kept}}
            if row["section"] == "protocol.mistakes":
                then = {"properties": {"mistakes": then}}
            rules.append({"if": other_variants(family, row["only_in"]), "then": then})
        if "when" in row and row["section"] in ("protocol", "protocol.mistakes"):
            (choice, values), = row["when"].items()
            choice_row = next(r for r in family["settings"] if r["section"] == row["section"] and r["key"] == choice)
            cond = {"properties": {choice: {"not": {"enum": values}}}}
            if choice_row["default"] in values:
                cond["required"] = [choice]  # absent means the default, one of them
            then = left_out(row["key"])
            if row["section"] == "protocol.mistakes":  # a mistake's own setting, with the switch off
                cond = {"properties": {"mistakes": cond}}
                then = {"properties": {"mistakes": then}}
            elif "variants" in choice_row:
                cond["properties"]["variant"] = {"enum": choice_row["variants"]}
                cond["required"] = cond.get("required", []) + ["variant"]
            rules.append({"if": cond, "then": then})
    return rules


def role_rules(family):
    """The roles "nodes" may name (even with no nodes), and those of some variants only; a
    protocol setting of a role is refused without that role's nodes."""
    rules = []
    for row in family["settings"]:
        if "roles" in row and row["section"] in ("protocol", "protocol.mistakes"):
            # No nodes of the roles: each absent, null, 0 or [].
            without = {"properties": {r: {"enum": [None, 0, []]} for r in row["roles"]}}
            then = left_out(row["key"])
            if row["section"] == "protocol.mistakes":
                then = {"properties": {"mistakes": then}}
            rules.append({"if": {"required": ["nodes"], "properties": {"nodes": without}},
                          "then": {"properties": {"protocol": then}}})
    if "roles" not in family:
        return rules
    roles = [r["role"] for r in family["roles"]]
    # Another name may only be null (a role left out).
    rules.append({"properties": {"nodes": {"type": "object", "properties": {r: True for r in roles},
                                           "additionalProperties": {"type": "null"}}}})
    for r in family["roles"]:
        if "variants" in r:
            rules.append({"if": {"required": ["protocol"], "properties": {
                              "protocol": other_variants(family, r["variants"])}},
                          "then": {"properties": {"nodes": left_out(r["role"])}}})
    return rules


def value_rules(family):
    """A setting that does nothing is refused: one of a number at 0 (locks' write_time with
    writes 0), and a check's bound when the run's checks (or, without "checks", the
    family's default ones) leave its check out."""
    rules = []
    for row in family["settings"]:
        section, key = row["section"], row["key"]
        if section not in ("protocol", "workload"):
            continue
        refused = {"properties": {section: left_out(key)}}
        if "when_nonzero" in row:
            number = next(r for r in family["settings"] if r["section"] == section and r["key"] == row["when_nonzero"])
            zero = {"properties": {row["when_nonzero"]: {"enum": [0, None]}}}
            if number["default"] != 0:  # absent means the default, not 0
                zero = {"required": [row["when_nonzero"]], "properties": {row["when_nonzero"]: {"const": 0}}}
            rules.append({"if": {"properties": {section: zero}}, "then": refused})
        if "checks" in row:
            without = {"required": ["checks"], "properties": {"checks": {"not": {"contains": {"enum": row["checks"]}}}}}
            if not any(c in family["default_checks"] for c in row["checks"]):
                # "checks" absent or null: the family's default checks.
                without = {"anyOf": [{"properties": {"checks": {"type": "null"}}}, without]}
            rules.append({"if": without, "then": refused})
    return rules


SOME = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "array", "minItems": 1}]}
ONE = {"anyOf": [{"const": 1}, {"type": "array", "minItems": 1, "maxItems": 1}]}

# Rules of a family's loader that `dsim describe` does not list (kept by hand; the variation
# test in test_scenario_schema_variations.py finds one missing): the roles a run needs.
NEEDED_ROLES = {
    "ring": {"store": SOME, "client": SOME},
    "locks": {"lock": SOME, "resource": ONE, "client": SOME},
    "2pc": {"coordinator": SOME, "participant": SOME, "client": SOME},
}
# ... and those a variant needs (paxos-commit's acceptors are also 2F+1, an odd number, which
# JSON Schema can say of a count but not of a list of names).
NEEDED_VARIANT_ROLES = {
    "2pc": {"paxos-commit": {"acceptor": {"anyOf": [{"type": "integer", "minimum": 1, "not": {"multipleOf": 2}},
                                                    {"type": "array", "minItems": 1}]}}},
    "locks": {"redis_sentinel": {"sentinel": SOME}},
}
# ... and a 2PC workload: a script of transactions (each a transfer, an audit or a double),
# a random workload, or both.
EXTRA_RULES = {
    "2pc": [{"required": ["workload"], "properties": {"workload": {
        "type": "object",
        "anyOf": [{"required": ["script"], "properties": {"script": {"type": "array", "minItems": 1}}},
                  {"required": ["random"], "properties": {"random": {"type": "object"}}}],
        "properties": {"script": {"items": {"oneOf": [
            {"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in ("transfer", "audit", "double")]}}},
    }}}],
}


def needed_roles(family):
    rules = []
    roles = NEEDED_ROLES.get(family["name"])
    if roles:
        rules.append({"properties": {"nodes": {"required": list(roles), "properties": roles}}})
    for variant, roles in NEEDED_VARIANT_ROLES.get(family["name"], {}).items():
        chosen = {"required": ["variant"], "properties": {"variant": {"const": variant}}}
        if variant == family["default_variant"]:  # absent or null: the default
            chosen = {"properties": {"variant": {"enum": [variant, None]}}}
        rules.append({"if": {"required": ["protocol"], "properties": {"protocol": chosen}},
                      "then": {"properties": {"nodes": {"required": list(roles), "properties": roles}}}})
    return rules


def family_rule(family):
    rows = family["settings"]
    protocol = section_schema("protocol", rows, {
        "name": {"const": family["name"]},
        "variant": {"enum": family["variants"] + [None], "default": family["default_variant"]},
    })
    rules = variant_rules(family)
    if rules:
        protocol["allOf"] = rules
    then = {"properties": {
        "protocol": protocol,
        "workload": nullable(section_schema("workload", rows)),
        "checks": {"items": {"enum": family["checks"]}},
        "expect": {"properties": {"check": {"enum": family["checks"] + [None]}}},
    }}
    roles = role_rules(family) + value_rules(family) + needed_roles(family) + EXTRA_RULES.get(family["name"], [])
    if roles:
        then["allOf"] = roles
    return {
        "if": {"required": ["protocol"], "properties": {"protocol": {"required": ["name"],
               "properties": {"name": {"const": family["name"]}}}}},
        "then": then,
    }


def generated_parts(described):
    families = described["families"]
    return ([f["name"] for f in families], [family_rule(f) for f in families])


def describe():
    done = subprocess.run([DSIM, "describe", "--json"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def dumps(value, indent=0, width=110):
    """JSON as the schema file is written: a value that fits on its line stays on one."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {dumps(v, indent + 2, width)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + dumps(v, indent + 2, width) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def update(schema):
    schema["$defs"].update(duration_defs())
    names, rules = generated_parts(describe())
    schema["properties"]["protocol"]["properties"]["name"]["enum"] = names
    schema["allOf"] = rules
    SCHEMA_PATH.write_text(dumps(schema) + "\n")


# ---- tests -----------------------------------------------------------------------------

WRONG_TYPE = {"integer": "x", "number": "x", "duration": True, "boolean": 1, "choice": "no-such-choice",
              "string": 5, "names": 5, "object": 5, "list": 5}


def row_schema(family_rule_then, section):
    """The schema of `section` ("protocol", "protocol.mistakes", "workload.script[]") in a
    family's generated rule."""
    first, *rest = section.split(".")
    node = family_rule_then["properties"][first]
    for part in rest:
        listed = part.endswith("[]")
        node = node["properties"][part[:-2] if listed else part]
        if listed:
            node = node["items"]
    return node


def test_every_setting_row_has_the_loaders_types_and_null():
    """Walks every row of every family's setting table: the schema takes the row's type at
    its default and null (the loader reads null as the key left out; a required row not
    even that), and refuses a value of another type, as the loader does."""
    described = describe()
    checked = 0
    for family, rule in zip(described["families"], generated_parts(described)[1]):
        for row in family["settings"]:
            where = f'{family["name"]} {row["section"]}.{row["key"]}'
            section = row_schema(rule["then"], row["section"])
            one = {"$defs": SCHEMA["$defs"], **section["properties"][row["key"]]}
            ok = jsonschema.Draft202012Validator(one)
            if row["default"] is not None:
                assert ok.is_valid(row["default"]), where
            assert ok.is_valid(None) != required(row), where
            assert (row["key"] in section.get("required", [])) == required(row), where
            assert not ok.is_valid(WRONG_TYPE[row["type"]]), where
            checked += 1
    assert checked > 120  # 132 rows in four families today

VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def validate(doc):
    VALIDATOR.validate(doc)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_protocol_part_is_generated_from_dsim_describe():
    names, rules = generated_parts(describe())
    assert SCHEMA["properties"]["protocol"]["properties"]["name"]["enum"] == names, \
        "stale: run python3 tests/core/test_scenario_schema.py --update"
    assert SCHEMA["allOf"] == rules, "stale: run python3 tests/core/test_scenario_schema.py --update"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_scenario_matches_schema(path):
    validate(json.loads(path.read_text()))


def heartbeat():
    return {"name": "t", "nodes": 3, "protocol": {"name": "heartbeat"}}


def scenario(name):
    return json.loads((ROOT / "scenarios" / name).read_text())


def patched(doc, **changes):
    doc = copy.deepcopy(doc)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = doc
        for p in parents:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        node[last] = value
    return doc


def without(doc, *path):
    doc = copy.deepcopy(doc)
    node = doc
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]
    return doc


def fault(**fields):
    return patched(heartbeat(), duration="5s", faults__schedule=[{"at": "1s", **fields}])


# Each case: a document dsim refuses (exit 2), and so must the schema.
REFUSED = {
    "misspelled key": patched(heartbeat(), duraton="1s"),
    "negative duration": patched(heartbeat(), duration="-1s"),
    "zero duration": patched(heartbeat(), duration=0),
    "zero duration text": patched(heartbeat(), duration="0ms"),
    "nodes not a count": patched(heartbeat(), nodes="five"),
    "loss above 1": patched(heartbeat(), network={"loss": 1.5}),
    "misspelled action": fault(action="crsh", node="n1"),
    "family in capitals": patched(scenario("2pc/seed-demo.json"), protocol__name="2PC"),
    "unknown family": patched(heartbeat(), protocol={"name": "raft"}),
    "unknown variant": patched(heartbeat(), protocol={"name": "heartbeat", "variant": "fast"}),
    "variant of another family": patched(scenario("locks/seed-demo.json"), protocol__variant="presumed-abort"),
    "unknown protocol setting": patched(heartbeat(), protocol={"name": "heartbeat", "intervall": "1s"}),
    "protocol setting of another family": patched(heartbeat(), protocol={"name": "heartbeat", "vnodes": 3}),
    "protocol setting out of range": patched(scenario("ring/rebalance.json"), protocol__replicas=17),
    "protocol setting of another variant": patched(scenario("locks/lost-create-reply.json"), protocol__ttl="1s"),
    "zero interval": patched(heartbeat(), protocol={"name": "heartbeat", "interval": 0}),
    "setting of another recipe": patched(scenario("locks/raft-leader-change.json"), protocol__lock_delay="1s"),
    "role the family lacks, even empty": patched(scenario("locks/seed-demo.json"), nodes__replica=[]),
    "role of another variant": patched(scenario("2pc/three-phase-partition.json"), nodes__replica=[]),
    "setting of a role without nodes": patched(scenario("2pc/seed-demo.json"), protocol__variant="basic",
                                               protocol__recovery_scan_interval="1s"),
    "mistake of a role without nodes, even off": patched(scenario("2pc/seed-demo.json"), protocol__mistakes={
        "recovery_presumes_abort_in_flight": False}),
    "unknown choice": patched(scenario("locks/zookeeper-herd.json"), protocol__watch="children"),
    "unknown workload setting": patched(scenario("locks/seed-demo.json"), workload__rouns=3),
    "unknown mistake": patched(scenario("2pc/participant-no-wal.json"), protocol__mistakes={"no_wal": True}),
    "unknown random workload key": patched(scenario("2pc/bank-random-faults.json"),
                                           workload__random__intervall="1s"),
    "check of another family": patched(heartbeat(), checks=["atomicity"]),
    "mistake of another variant": patched(scenario("2pc/three-phase-partition.json"),
                                          protocol__mistakes={"coordinator_skip_collecting": True}),
    "switch of another variant": patched(scenario("2pc/seed-demo.json"), protocol__cooperative_termination=True),
    "heuristic abort in three-phase": patched(scenario("2pc/three-phase-partition.json"),
                                              protocol__mistakes={"heuristic_abort_after": "1s"}),
    "ring nodes as a plain count": patched(scenario("ring/rebalance.json"), nodes=9),
    "ring role it lacks": patched(scenario("ring/rebalance.json"), nodes={"store": 3, "client": 1, "cache": 1}),
    "ring placement option of another variant": patched(scenario("ring/rebalance.json"), protocol__variant="jump"),
    "ring table_size with ring": patched(scenario("ring/rebalance.json"), protocol__table_size=251),
    "renewal mistake off where it is no setting": patched(scenario("locks/consul-lock-delay.json"),
                                                          protocol__renew_unchecked=False),
    "retry_interval in three-phase": patched(scenario("2pc/three-phase-partition.json"),
                                             protocol__retry_interval="50ms"),
    "lazy_flush_delay without the lazy log": patched(scenario("2pc/coordinator-log-fails.json"),
                                                     protocol__mistakes={"lazy_flush_delay": "5ms"}),
    "renewal mistake without renew": patched(scenario("locks/unsafe-release.json"), protocol__renew_unchecked=True),
    "protected_any_session without protected_create": patched(scenario("locks/lost-create-reply.json"),
                                                              protocol__protected_create=False,
                                                              protocol__protected_any_session=True),
    "write_time without writes": patched(scenario("locks/seed-demo.json"), workload__writes=0,
                                         workload__write_time="5ms"),
    "a check's bound without its check": patched(scenario("ring/rebalance.json"), checks=["fresh_reads"],
                                                 workload__availability_min=0.5),
    "a bound of a check off by default": patched(scenario("locks/seed-demo.json"), protocol__starvation_bound="5s"),
    "a bound of a check off by default, checks null": patched(scenario("locks/seed-demo.json"), checks=None,
                                                               protocol__starvation_bound="5s"),
    "a scripted transaction without at": patched(scenario("2pc/coordinator-crash-blocking.json"),
                                                 workload__script=[{"audit": True}]),
    "a scripted transaction at null": patched(scenario("2pc/coordinator-crash-blocking.json"),
                                              workload__script=[{"at": None, "audit": True}]),
    "a setting of the wrong type": patched(scenario("2pc/seed-demo.json"), protocol__work_time=True),
    "crash with groups": fault(action="crash", node="n1", groups=[["n0"], ["n1"]]),
    "crash with ppm": fault(action="crash", node="n1", ppm=5),
    "crash without node": fault(action="crash"),
    "partition with node": fault(action="partition", groups=[["n0"], ["n1"]], node="n2"),
    "partition without groups": fault(action="partition"),
    "heal with node": fault(action="heal", node="n1"),
    "heal for a while": fault(action="heal", **{"for": "1s"}),
    "restart for a while": fault(action="restart", node="n1", **{"for": "1s"}),
    "clock_jump with ppm": fault(action="clock_jump", node="n1", by="1s", ppm=3),
    "clock_jump without by": fault(action="clock_jump", node="n1"),
    "clock_drift with by": fault(action="clock_drift", node="n1", ppm=3, by="1s"),
    "link_slow with loss": fault(action="link_slow", **{"from": "n0", "to": "n1"}, extra_latency="5ms", loss=0.5),
    "link_lossy without loss": fault(action="link_lossy", **{"from": "n0", "to": "n1"}),
    "link_lossy with extra_latency": fault(action="link_lossy", **{"from": "n0", "to": "n1"}, loss=0.5,
                                           extra_latency="5ms"),
    "partition_one_way with groups": fault(action="partition_one_way", **{"from": "n0", "to": "n1"},
                                           groups=[["n0"]]),
    "isolate with by": fault(action="isolate", node="n1", by="1s"),
    "stall holding nothing": fault(action="stall", node="n1"),
    "stall with ops": fault(action="stall", node="n1", timers=["tick"], ops=["sync"]),
    "disk_fail without ops": fault(action="disk_fail", node="n1"),
    "disk_fail of an unknown op": fault(action="disk_fail", node="n1", ops=["fsync"]),
    "disk_fail hanging writes": fault(action="disk_fail", node="n1", ops=["write"], mode="hang"),
    "disk_slow without latency": fault(action="disk_slow", node="n1"),
    "torn_write above 1": patched(heartbeat(), storage={"torn_write": 2}),
    "random stall holding nothing": patched(heartbeat(), faults={"random": {"kinds": ["stall"]}}),
    "null nodes (required)": patched(heartbeat(), nodes=None),
    "null protocol (required)": patched(heartbeat(), protocol=None),
    "null name (required)": patched(heartbeat(), name=None),
    "null fault time (required)": fault(action="crash", node="n1", at=None),
    "null node of a crash (required)": fault(action="crash", node=None),
    "stall with timers and messages null": fault(action="stall", node="n1", timers=None, messages=None),
    "stall with a null list and an empty one": fault(action="stall", node="n1", timers=None, messages=[]),
    "hanging disk_fail with ops null": fault(action="disk_fail", node="n1", ops=None, mode="hang"),
    "random stall with null lists": patched(heartbeat(), faults={"random": {
        "kinds": ["stall"], "stall_timers": None, "stall_messages": None}}),
    "a uniform parameter under constant": patched(heartbeat(), network={"latency": {"min": "1ms"}}),
    "a lognormal parameter under pareto": patched(heartbeat(), network={"latency": {"dist": "pareto",
                                                                                    "sigma": 0.5}}),
    "duration above 365 days": patched(heartbeat(), duration=365 * 24 * 3600 * 10**9 + 1),
    "a start that is no duration": patched(scenario("locks/zombie-keepalive-fixed.json"), workload__starts__c1=True),
    "2PC without workload": without(scenario("2pc/seed-demo.json"), "workload"),
    "2PC with workload null": patched(scenario("2pc/seed-demo.json"), workload=None),
    "2PC with an empty script": patched(scenario("2pc/seed-demo.json"), workload__script=[]),
    "2PC with script and random null": patched(scenario("2pc/seed-demo.json"),
                                               workload={"accounts": 1, "script": None, "random": None}),
    "2PC transaction of two kinds": patched(scenario("2pc/seed-demo.json"),
                                            workload__script=[{"at": "0s", "audit": True,
                                                               "double": {"participant": "node_1", "value": 1}}]),
    "2PC transaction of no kind": patched(scenario("2pc/seed-demo.json"),
                                          workload__script=[{"at": "0s", "audit": None}]),
    "exit 1 without check": patched(scenario("2pc/seed-demo.json"), expect={"exit": 1}),
    "exit 1 with check null": patched(scenario("2pc/seed-demo.json"), expect={"exit": 1, "check": None}),
    "exit null with check": patched(scenario("2pc/seed-demo.json"), expect={"exit": None, "check": "atomicity"}),
    "exit 0 with check": patched(scenario("2pc/seed-demo.json"), expect={"exit": 0, "check": "atomicity"}),
    "check without exit": patched(scenario("2pc/seed-demo.json"), expect={"check": "atomicity"}),
    "null role the run needs": patched(scenario("2pc/seed-demo.json"), nodes__client=None),
    "no nodes of a role the run needs": patched(scenario("ring/rebalance.json"), nodes__client=0),
    "two resources": patched(scenario("locks/seed-demo.json"), nodes__resource=2),
    "redis_sentinel without sentinels": without(scenario("locks/redis-failover-fenced-random.json"), "nodes", "sentinel"),
    "paxos-commit with an even count of acceptors": patched(scenario("2pc/paxos-commit-coordinator-crash.json"),
                                                            nodes__acceptor=2),
    "a timer's period below 1ms": patched(heartbeat(), protocol={"name": "heartbeat", "interval": "999us"}),
    "a timer's period below 1ms, in minutes": patched(heartbeat(), protocol={"name": "heartbeat",
                                                                              "interval": "0.0000166m"}),
    "a crash of an empty list": fault(action="crash", node=[]),
    "a nemesis at mean interval 0": patched(heartbeat(), faults={"random": {"mean_interval": 0}}),
    "more than a million nodes": patched(heartbeat(), nodes=1000001),
    "a role of more than a million nodes": patched(scenario("ring/rebalance.json"), nodes__client=1000001),
    "a seed above 2^63-1": patched(heartbeat(), seed=2**63),
    "roles of no nodes": patched(heartbeat(), nodes={"node": 0, "other": None, "more": []}),
    "a link from no node": patched(heartbeat(), network={"links": [{"from": [], "to": "n1", "loss": 0.5}]}),
    "a trace limit above 2^63-1": patched(heartbeat(), limits={"max_trace_bytes": 2**63}),
    "checks as one string, not a list": patched(heartbeat(), checks="settled_view"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_dsim_refuses_the_case(name, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(REFUSED[name]))
    done = subprocess.run([DSIM, "run", str(path), "-q", "--set", "limits.max_events=1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, f"dsim accepted it (exit {done.returncode}): {done.stderr}"


@pytest.mark.parametrize("name", REFUSED)
def test_schema_refuses_what_dsim_refuses(name):
    with pytest.raises(jsonschema.ValidationError):
        validate(REFUSED[name])


# Near misses of the cases above that both accept (so the schema is not merely strict).
ACCEPTED = {
    "every action with its own fields": patched(heartbeat(), duration="20s", faults__schedule=[
        {"at": "1s", "action": "crash", "node": "n1", "for": "1s", "name": "c"},
        {"at": "3s", "action": "pause", "node": "n1", "for": "1s"},
        {"at": "5s", "action": "isolate", "node": "n2", "for": "1s"},
        {"at": "7s", "action": "partition", "groups": [["n0"], ["n1", "n2"]], "name": "cut"},
        {"at": "8s", "action": "heal", "name": "cut"},
        {"at": "9s", "action": "partition_one_way", "from": "n0", "to": "n1", "for": "1s"},
        {"at": "11s", "action": "clock_jump", "node": "n1", "by": "-1s"},
        {"at": "12s", "action": "clock_drift", "node": "n1", "ppm": -20, "for": "1s"},
        {"at": "14s", "action": "link_slow", "from": "n0", "to": ["n1", "n2"], "extra_latency": "5ms",
         "for": "1s"},
        {"at": "16s", "action": "link_lossy", "from": "n0", "to": "n1", "loss": 0.5, "for": "1s"},
        {"at": "18s", "action": "crash", "node": "n2"},
        {"at": "19s", "action": "restart", "node": "n2"},
        {"at": "19s", "action": "stall", "node": "n0", "timers": ["tick"], "messages": ["ping"], "for": "500ms"},
        {"at": "19s", "action": "disk_fail", "node": "n0", "ops": ["write", "sync", "read"], "for": "500ms"},
        {"at": "19s", "action": "disk_fail", "node": "n1", "ops": ["sync"], "mode": "hang", "for": "500ms"},
        {"at": "19s", "action": "disk_slow", "node": "n1", "latency": "5ms", "for": "500ms"},
    ]),
    "in-node kinds in the nemesis": patched(heartbeat(), storage={"torn_write": 0.5}, faults={"random": {
        "kinds": ["stall", "disk_fail", "disk_slow"], "stall_timers": ["tick"], "disk_latency_max": "5ms"}}),
    "zookeeper setting under zookeeper": patched(scenario("locks/lost-create-reply.json"), protocol__watch="parent"),
    "lease setting under redis": patched(scenario("locks/unsafe-release.json"), protocol__ttl="2s"),
    "mistake off in another variant": patched(scenario("2pc/three-phase-partition.json"),
                                              protocol__mistakes={"coordinator_skip_collecting": False}),
    "ring vnodes under cassandra": patched(scenario("ring/rebalance.json"), protocol__variant="cassandra"),
    "lazy_flush_delay with the lazy log": patched(scenario("2pc/decision-before-durable.json"),
                                                  protocol__mistakes={"coordinator_lazy_decision_log": True,
                                                                      "lazy_flush_delay": "5ms"}),
    "null heuristic abort (off)": patched(scenario("2pc/participant-no-wal.json"),
                                          protocol__mistakes={"heuristic_abort_after": None}),
    "null heuristic abort in three-phase": patched(scenario("2pc/three-phase-partition.json"),
                                                   protocol__mistakes={"heuristic_abort_after": None}),
    "null settings are their defaults": patched(heartbeat(), protocol={"name": "heartbeat", "interval": None}),
    "null workload section": patched(scenario("2pc/coordinator-crash-blocking.json"), workload__random=None),
    "a bound with its check": patched(scenario("locks/seed-demo.json"), checks=["starvation"],
                                      protocol__starvation_bound="5s"),
    # null is the key left out (the loader's ConfigReader), at the top and in each core section.
    "every core key null": patched(heartbeat(), **{k: None for k in (
        "$schema", "description", "seed", "duration", "down_at_start", "workload", "network", "clocks",
        "storage", "faults", "checks", "limits", "expect")}),
    "every core section's keys null": patched(heartbeat(), **{f"{section}__{k}": None for section, keys in {
        "network": ("latency", "loss", "duplicate", "links"), "clocks": ("max_offset", "max_drift_ppm", "nodes"),
        "storage": ("keep_unsynced_max", "torn_write"), "faults": ("schedule", "random"),
        "limits": ("max_events", "max_events_per_instant", "max_time", "max_trace_bytes", "max_memory",
                   "stop_on_violation"), "expect": ("exit", "check")}.items() for k in keys}),
    "null variant (the default)": patched(scenario("locks/seed-demo.json"), protocol__variant=None),
    "null checks keep a default check's bound": patched(scenario("locks/seed-demo.json"), checks=None),
    "null workload of a family": patched(scenario("locks/seed-demo.json"), workload=None),
    "mistake on in its variant": patched(scenario("2pc/presumed-commit-no-collecting.json"),
                                         protocol__mistakes={"coordinator_skip_collecting": True}),
    # Null below the top level is left out too.
    "null optional fault fields": patched(heartbeat(), duration="5s", faults__schedule=[
        {"at": "1s", "action": "crash", "node": "n0", "for": None, "name": None, "groups": None, "ppm": None},
        {"at": "2s", "action": "heal", "for": None, "node": None},
        {"at": "3s", "action": "disk_fail", "node": "n1", "ops": ["write"], "mode": None},
        {"at": "3s", "action": "stall", "node": "n1", "timers": None, "messages": ["ping"]},
        {"at": "3s", "action": "stall", "node": "n2", "timers": ["tick"], "messages": None}]),
    "every nemesis key null": patched(heartbeat(), faults={"random": {k: None for k in (
        "kinds", "swarm", "targets", "start", "stop", "mean_interval", "duration_min", "duration_max", "max_down",
        "clock_jump_max", "drift_ppm_max", "extra_latency_max", "loss_max", "stall_timers", "stall_messages",
        "disk_latency_max")}}),
    "null parameters of other dists": patched(heartbeat(), network={"latency": {
        "dist": "uniform", "min": None, "value": None, "mean": None, "sigma": None, "floor": None, "cap": None}}),
    "null dist (constant)": patched(heartbeat(), network={"latency": {"dist": None, "value": "2ms"}}),
    "null link fields": patched(heartbeat(), network={"links": [{"from": "n0", "to": "n1", "latency": None,
                                                                 "loss": None, "duplicate": None}]}),
    "null clock of a node, and null fields of another": patched(heartbeat(), clocks={"nodes": {
        "n1": None, "n2": {"offset": None, "drift_ppm": None}}}),
    "null clock of a name that is no node's": patched(heartbeat(), clocks={"nodes": {"zz": None}}),
    "null mistakes": patched(scenario("2pc/coordinator-log-fails.json"), protocol__mistakes=None),
    "null roles, optional or of another variant": patched(scenario("2pc/seed-demo.json"), nodes__recovery=None,
                                                          nodes__acceptor=None),
    "null role of a family without roles": patched(heartbeat(), nodes={"node": 3, "client": None}),
    "a null start": patched(scenario("locks/zombie-keepalive-fixed.json"), workload__starts__c1=None),
    "a null start of a name that is no client's": patched(scenario("locks/zombie-keepalive-fixed.json"),
                                                          workload__starts__zz=None),
    "whole numbers written as floats": patched(heartbeat(), seed=7.0, nodes=4.0, duration=5e9,
                                               expect={"exit": 0.0}, clocks={"max_drift_ppm": 10.0}),
    "durations exact in ns with many fraction digits": patched(
        heartbeat(), duration="0.0013888888875h", protocol={"name": "heartbeat", "interval": ".000016667m"}),
    "2PC with a random workload only": patched(scenario("2pc/bank-random-faults.json"), workload__script=None),
    "exit 1 with its check": patched(scenario("2pc/seed-demo.json"), expect={"exit": 1, "check": "atomicity"}),
    "exit and check null": patched(scenario("2pc/seed-demo.json"), expect={"exit": None, "check": None}),
    "paxos-commit with an odd count of acceptors": patched(scenario("2pc/paxos-commit-coordinator-crash.json"),
                                                           nodes__acceptor=3),
    "a timer's period of 1ms, as the parser reads it": patched(heartbeat(), protocol={
        "name": "heartbeat", "interval": ".001s", "timeout": "0.0000167m"}),
    "durations the parser takes: bare nanoseconds, no leading or trailing digit": patched(
        heartbeat(), duration="5.s", network={"latency": "150"}, clocks={"nodes": {"n1": {"offset": "-.5ms"}}}),
    "stall lists as one string": patched(heartbeat(), duration="5s", faults={
        "schedule": [{"at": "1s", "action": "stall", "node": "n1", "timers": "tick"}],
        "random": {"kinds": ["stall"], "stall_messages": "ping"}}),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_both_accept_near_misses(name, tmp_path):
    validate(ACCEPTED[name])
    path = tmp_path / "case.json"
    path.write_text(json.dumps(ACCEPTED[name]))
    done = subprocess.run([DSIM, "run", str(path), "-q", "--set", "limits.max_events=1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr


if __name__ == "__main__":
    if sys.argv[1:2] == ["--update"]:
        if len(sys.argv) > 2:
            DSIM = sys.argv[2]
        update(SCHEMA)
        print(f"updated {SCHEMA_PATH}")
    else:
        raise SystemExit(pytest.main([__file__, "-q"]))

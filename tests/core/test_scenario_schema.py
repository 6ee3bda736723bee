"""Every shipped scenario validates against scenarios/scenario.schema.json, and the schema
rejects the same kinds of mistakes dsim rejects (so editors flag them too)."""
import json
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
FILES = sorted(p for p in (ROOT / "scenarios").rglob("*.json") if ".schema." not in p.name)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_scenario_matches_schema(path):
    jsonschema.validate(json.loads(path.read_text()), SCHEMA,
                        cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("patch", [
    {"duraton": "1s"},
    {"duration": "-1s"},
    {"nodes": "five"},
    {"network": {"loss": 1.5}},
    {"faults": {"schedule": [{"at": "1s", "action": "crsh", "node": "n1"}]}},
])
def test_schema_rejects_typical_mistakes(patch):
    doc = {"name": "t", "nodes": 3, "protocol": {"name": "heartbeat"}}
    doc.update(patch)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft202012Validator)

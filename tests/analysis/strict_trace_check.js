// Reads Trace Event files the way a strict reader does, for test_perfetto_strict.py.
//
//   node strict_trace_check.js FILE...
//
// For each file: first the rules of the Trace Event Format that readers rely on, checked
// field by field (every event has ph, name, cat, ts, pid and tid of the right types —
// metadata included; known phases; metadata names and args; X durations; flows, async and
// B/E slices that open before they close and all close), then the whole file is handed to
// @tracerbench/trace-model's buildModel, an npm Trace Event reader that assumes those
// fields (a metadata event without `cat` makes it throw). Prints one JSON line per file:
// {"file", "events", "processes": [{"pid", "name", "threads": [names]}]}; on the first
// broken rule prints "FILE: event N: what" to stderr and exits 1.
'use strict';

const fs = require('fs');
const { buildModel } = require('@tracerbench/trace-model');

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 'b', 'n', 'e', 's', 't', 'f', 'M',
                        'P', 'N', 'O', 'D', 'S', 'T', 'p', 'F', 'R', 'c', '(', ')']);
const METADATA_ARGS = {
  process_name: ['name', 'string'],
  process_labels: ['labels', 'string'],
  process_sort_index: ['sort_index', 'number'],
  thread_name: ['name', 'string'],
  thread_sort_index: ['sort_index', 'number'],
};

function fail(file, index, what) {
  process.stderr.write(`${file}: event ${index}: ${what}\n`);
  process.exit(1);
}

function checkDocument(file, doc) {
  if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.traceEvents)) {
    fail(file, -1, 'not an object with a traceEvents array');
  }
  if ('displayTimeUnit' in doc && !['ms', 'ns'].includes(doc.displayTimeUnit)) {
    fail(file, -1, `displayTimeUnit ${JSON.stringify(doc.displayTimeUnit)} is not ms or ns`);
  }
  const flows = new Map();    // cat + id -> open flow
  const asyncs = new Map();   // cat + id -> depth
  const stacks = new Map();   // pid/tid -> names of open B slices
  doc.traceEvents.forEach((e, i) => {
    const where = JSON.stringify(e);
    if (e === null || typeof e !== 'object') fail(file, i, 'not an object');
    if (!PHASES.has(e.ph)) fail(file, i, `unknown phase ${JSON.stringify(e.ph)}: ${where}`);
    if (typeof e.name !== 'string') fail(file, i, `name is not a string: ${where}`);
    if (typeof e.cat !== 'string') fail(file, i, `cat is not a string: ${where}`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) {
      fail(file, i, `ts is not a finite number >= 0: ${where}`);
    }
    if (!Number.isInteger(e.pid)) fail(file, i, `pid is not an integer: ${where}`);
    if (!Number.isInteger(e.tid)) fail(file, i, `tid is not an integer: ${where}`);
    if ('args' in e && (e.args === null || typeof e.args !== 'object')) {
      fail(file, i, `args is not an object: ${where}`);
    }
    const track = `${e.pid}/${e.tid}`;
    switch (e.ph) {
      case 'M': {
        const rule = METADATA_ARGS[e.name];
        if (!rule) fail(file, i, `unknown metadata ${e.name}`);
        if (!e.args || typeof e.args[rule[0]] !== rule[1]) {
          fail(file, i, `${e.name} needs args.${rule[0]} (${rule[1]}): ${where}`);
        }
        break;
      }
      case 'X':
        if (typeof e.dur !== 'number' || !(e.dur >= 0)) fail(file, i, `X without dur >= 0: ${where}`);
        break;
      case 'i': case 'I':
        if ('s' in e && !['g', 'p', 't'].includes(e.s)) fail(file, i, `instant scope ${e.s}: ${where}`);
        break;
      case 'B':
        if (!stacks.has(track)) stacks.set(track, []);
        stacks.get(track).push(e.name);
        break;
      case 'E':
        if (!stacks.has(track) || stacks.get(track).length === 0) {
          fail(file, i, `E with no open B on its track: ${where}`);
        }
        stacks.get(track).pop();
        break;
      case 's': case 't': case 'f': {
        if (e.id === undefined) fail(file, i, `flow event without id: ${where}`);
        const key = `${e.cat}\u0000${e.id}`;
        if (e.ph === 's') {
          if (flows.has(key)) fail(file, i, `flow ${e.id} started twice: ${where}`);
          flows.set(key, i);
        } else {
          if (!flows.has(key)) fail(file, i, `flow ${e.id} continues before it starts: ${where}`);
          if (e.ph === 'f') flows.delete(key);
        }
        if (e.ph === 'f' && 'bp' in e && e.bp !== 'e') fail(file, i, `flow end bp ${e.bp}: ${where}`);
        break;
      }
      case 'b': case 'e': {
        if (e.id === undefined && e.id2 === undefined) fail(file, i, `async event without id: ${where}`);
        const key = `${e.cat}\u0000${JSON.stringify(e.id ?? e.id2)}`;
        const depth = (asyncs.get(key) || 0) + (e.ph === 'b' ? 1 : -1);
        if (depth < 0) fail(file, i, `async end before its begin: ${where}`);
        asyncs.set(key, depth);
        break;
      }
      default:
        break;
    }
  });
  const end = doc.traceEvents.length;
  for (const [key, start] of flows) fail(file, end, `flow started at event ${start} never ends (${key})`);
  for (const [key, depth] of asyncs) if (depth !== 0) fail(file, end, `async slice ${key} never ends`);
  for (const [track, stack] of stacks) if (stack.length) fail(file, end, `B ${stack} on ${track} never ends`);
}

for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(file, -1, `not JSON: ${err.message}`);
  }
  checkDocument(file, doc);
  let model;
  try {
    model = buildModel(doc);
  } catch (err) {
    fail(file, -1, `@tracerbench/trace-model refused it: ${err.stack}`);
  }
  const processes = model.processes.map((p) => ({
    pid: p.id,
    name: p.name,
    threads: p.threads.map((t) => t.name),
  }));
  process.stdout.write(JSON.stringify({ file, events: model.events.length, processes }) + '\n');
}

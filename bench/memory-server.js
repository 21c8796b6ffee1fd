#!/usr/bin/env node
// The real `scim-lab` CLI, run in a child process that bench/memory-breakdown.js can ask, over IPC, for its memory:
// process.memoryUsage() and V8's heap spaces, optionally after a full garbage collection (needs --expose-gc), and a
// heap snapshot. Nothing else differs from `scim-lab <args>`.
//   node --expose-gc bench/memory-server.js code42 --port 0 --json …   (started by bench/memory-breakdown.js)
'use strict';
const v8 = require('node:v8');

function measure({ gc = false } = {}) {
  if (gc) {
    if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
    globalThis.gc();
    globalThis.gc();
  }
  const spaces = {};
  for (const s of v8.getHeapSpaceStatistics()) {
    spaces[s.space_name] = { committed: s.space_size, used: s.space_used_size };
  }
  return { usage: process.memoryUsage(), spaces };
}

process.on('message', (message) => {
  try {
    if (message.type === 'measure') process.send({ id: message.id, result: measure(message) });
    else if (message.type === 'snapshot') process.send({ id: message.id, result: v8.writeHeapSnapshot(message.file) });
    else throw new Error(`unknown message ${message.type}`);
  } catch (err) {
    process.send({ id: message.id, error: String(err && err.stack ? err.stack : err) });
  }
});

require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
    process.disconnect?.();
  });

#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and the most total
// (inclusive) time, so that a hot path can be named before it is changed.
//   node bench/profile-summary.js FILE.cpuprofile [top=25] [only-samples-under=SUBSTRING]
'use strict';
const { readFileSync } = require('node:fs');

function summarise(profile, top = 25, under = undefined) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  const self = new Map();
  const total = new Map();
  let all = 0;
  const inside = (id) => {
    for (let at = id; at !== undefined; at = parent.get(at)) if (name(nodes.get(at)).includes(under)) return true;
    return false;
  };
  for (const [id, us] of selfUs) {
    if (under !== undefined && !inside(id)) continue;
    all += us;
    const n = nodes.get(id);
    self.set(name(n), (self.get(name(n)) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const key = name(nodes.get(at));
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  const rows = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((100 * us) / all).toFixed(1).padStart(5)}%  ${k}`);
  return `total ${(all / 1e6).toFixed(2)} s sampled\n\nself:\n${rows(self).join('\n')}\n\ninclusive:\n${rows(total).join('\n')}\n`;
}

if (require.main === module) {
  const [, , file, top, under] = process.argv;
  if (!file) throw new Error('usage: node bench/profile-summary.js FILE.cpuprofile [top]');
  process.stdout.write(summarise(JSON.parse(readFileSync(file, 'utf8')), Number(top ?? 25), under));
}

module.exports = { summarise };

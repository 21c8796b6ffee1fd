#!/usr/bin/env node
// What a heap snapshot holds, by kind (issue 14): the self size of every node of a .heapsnapshot (V8's format, as
// v8.writeHeapSnapshot or bench/memory-breakdown.js --snapshot write it), summed by node type and constructor name.
// Prints a Markdown table of the largest groups.
//   node bench/heap-summary.js FILE [top=15]
'use strict';
const { readFileSync } = require('node:fs');

function summarize(file, top) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const width = fields.length;
  const at = (name) => fields.indexOf(name);
  const [typeAt, nameAt, sizeAt] = [at('type'), at('name'), at('self_size')];
  const groups = new Map();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]];
    // Strings are grouped by type only: their "name" is their text.
    const name =
      type === 'string' || type === 'concatenated string' ? '' : snapshot.strings[snapshot.nodes[i + nameAt]];
    const key = `${type}\t${name}`;
    const size = snapshot.nodes[i + sizeAt];
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += size;
    groups.set(key, group);
    total += size;
  }
  const rows = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top);
  const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
  return [
    `\`node bench/heap-summary.js ${process.argv.slice(2).join(' ')}\`: ${mb(total)} MB in ${snapshot.snapshot.node_count} nodes`,
    '',
    '| Type | Name | Count | MB |',
    '| --- | --- | ---: | ---: |',
    ...rows.map(([key, g]) => {
      const [type, name] = key.split('\t');
      return `| ${type} | ${name.replace(/\|/g, '\\|').slice(0, 40)} | ${g.count} | ${mb(g.bytes)} |`;
    }),
  ].join('\n');
}

const [file, top = '15'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/heap-summary.js FILE [top]\n');
  process.exitCode = 2;
} else process.stdout.write(summarize(file, Number(top)) + '\n');

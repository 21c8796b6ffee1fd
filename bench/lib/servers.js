// The servers measured side by side with the bare node:http baseline (issue 14 §4), as a list: the mock once per
// shell, the peer a team would otherwise pick, and the floor of any express-based server. The report shows them in
// this order. Pure data and functions: bench/scenarios/code42.js starts what the plan says.
'use strict';

/** `kind` says how to start it; `shell` is the mock's `--shell` value. */
const SIDE_BY_SIDE = [
  { key: 'code42-node', label: 'the mock, `node:http` shell', kind: 'code42', shell: 'node' },
  { key: 'code42-express', label: 'the mock, express shell', kind: 'code42', shell: 'express' },
  { key: 'scimmy', label: 'SCIMMY', kind: 'scimmy' },
  { key: 'express-floor', label: 'an empty express app', kind: 'floor' },
];

const UNAVAILABLE = 'not available in this build';

/** Whether `scim-lab code42 --help` (its text) offers `--shell`. */
function offersShell(helpText) {
  return /^\s*--shell\b/m.test(helpText);
}

/**
 * The servers to start. With `--shell`, the mock runs once per shell. Without it (a build before the option), the
 * mock runs once, as it is, in the node shell's place, named for what it is and with a note saying so, and the express
 * shell's entry is marked unavailable: measured nowhere, reported as such, never given a figure.
 */
function sideBySidePlan({ shell, versions = {} }) {
  return SIDE_BY_SIDE.map((entry) => {
    const server = { ...entry, ...(versions[entry.kind] && { label: `${entry.label} ${versions[entry.kind]}` }) };
    if (entry.kind !== 'code42') return server;
    if (shell) return { ...server, args: ['--shell', entry.shell] };
    if (entry.shell === 'node') {
      const note = 'this build of `scim-lab code42` has no `--shell` option: the mock is measured once, as it is';
      return { ...server, label: 'the mock, its only shell', args: [], note };
    }
    return { ...server, unavailable: UNAVAILABLE };
  });
}

module.exports = { SIDE_BY_SIDE, UNAVAILABLE, offersShell, sideBySidePlan };

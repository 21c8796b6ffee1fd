import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runConformance } from '../conformance';
import { exitCode } from '../engine';

// The README's driver example (docs/driver-protocol.md) is a real driver: the provisioner suite runs against it, and
// the page shows the file as it is.

const root = join(__dirname, '..', '..');
const example = join(root, 'examples', 'driver', 'curl-like-driver.js');

describe('docs/driver-protocol.md the example driver of docs/driver-protocol.md', () => {
  it('passes the provisioner suite: scim-lab conformance --idp-driver "node examples/driver/curl-like-driver.js"', async () => {
    const { result } = await runConformance({ idpDriver: `"${process.execPath}" "${example}"`, seed: 11 });
    expect(new Set(result.requirements.map((r) => r.suite))).toEqual(new Set(['provisioner']));
    expect(result.requirements.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
    expect(result.target.baseUrl).toBeNull();
    expect(exitCode(result)).toBe(0);
  }, 180_000);

  it('is shown whole on the driver protocol page', () => {
    const page = readFileSync(join(root, 'docs', 'driver-protocol.md'), 'utf8');
    const shown = /```js\n(#!\/usr\/bin\/env node[^]*?)```/.exec(page)?.[1];
    expect(shown).toBe(readFileSync(example, 'utf8'));
  });
});

// Tests run TypeScript, but a driver is a separate process: this compiles the default driver (and the protocol module
// it imports) once per test process into a temporary folder with @swc/core, and returns the argv that runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';

const FILES = ['default-driver', 'default-driver-groups', 'protocol'];
let command: string[] | undefined;

export function defaultDriverCommand(): string[] {
  if (command) return command;
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-driver-'));
  for (const name of FILES) {
    const { code } = transformFileSync(join(__dirname, '..', `${name}.ts`), {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    writeFileSync(join(dir, `${name}.js`), code);
  }
  command = [process.execPath, join(dir, 'default-driver.js')];
  return command;
}

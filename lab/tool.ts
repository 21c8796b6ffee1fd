import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: { name: string; version: string } | undefined;

/**
 * The tool's name and version, from the nearest scim-lab package.json above this file (source or dist/). Read once:
 * every HAR export and every report asks for it.
 */
export function toolInfo(): { name: string; version: string } {
  return { ...(cached ??= readToolInfo()) };
}

function readToolInfo(): { name: string; version: string } {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'scim-lab' && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: 'scim-lab', version: '0.0.0' };
    dir = parent;
  }
}

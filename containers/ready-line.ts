import { createInterface } from 'node:readline';
import type { StartedTestContainer } from 'testcontainers';

/**
 * Reads the one `--json` line a scim-lab command prints on stdout once it is ready (docs/cli.md)
 * from the container's logs, and returns the object under `key` ("code42" or "pingone").
 * Docker merges stdout and stderr here, so log lines that are not that object are skipped.
 */
export async function readReadyLine<T>(container: StartedTestContainer, key: string, timeoutMs = 10_000): Promise<T> {
  const stream = await container.logs();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const timer = setTimeout(() => stream.destroy(), timeoutMs);
  try {
    for await (const line of lines) {
      const found = parseReadyLine<T>(line, key);
      if (found) return found;
    }
  } finally {
    clearTimeout(timer);
    lines.close();
    stream.destroy();
  }
  throw new Error(
    `container ${container.getName()}: no '{"${key}": …}' ready line within ${timeoutMs} ms in its logs (is it started with --json?)`,
  );
}

export function parseReadyLine<T>(line: string, key: string): T | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value = (JSON.parse(text) as Record<string, unknown>)[key];
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

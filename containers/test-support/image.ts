import type { StartedTestContainer } from 'testcontainers';

/** The image under test: scripts/test-containers.sh builds it under its own tag and passes it here. */
export const TEST_IMAGE = process.env.SCIM_LAB_IMAGE ?? 'scim-lab:local';

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** Everything a container that has exited wrote (stdout and stderr merged). */
export async function outputOf(container: StartedTestContainer): Promise<string> {
  const stream = await container.logs();
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

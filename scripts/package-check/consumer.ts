// A strict consumer of the packed scim-lab: compiled by scripts/check-package.sh with `strict` and
// `skipLibCheck: false` in a scratch project that installed the tarball, so every .d.ts the entry points reach is
// checked as a user's compiler would check it. Run with node afterwards: it starts a mock and talks SCIM to it.
import {
  createCode42,
  createPingOne,
  planRequirements,
  type Code42,
  type Code42Description,
  type ConformanceOptions,
  type PingOneDescription,
} from 'scim-lab';
import { describeConformance, type JestConformanceOptions } from 'scim-lab/jest';
import { CODE42_PORT, MockCode42Container, type StartedWiredLab } from 'scim-lab/containers';
import { parseFilter, matchesFilter, applyPatch, createUserStore, USER_RESOURCE_SCHEMA } from 'scim-lab/scim';

async function main(): Promise<void> {
  const code42: Code42 = createCode42({ token: 'consumer-token-1', adminToken: 'consumer-admin-1' });
  await code42.listen({ port: 0 });
  const described: Code42Description = code42.describe();
  const res = await fetch(`${described.baseUrl}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${described.token}`, 'content-type': 'application/scim+json' },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com' }),
  });
  if (res.status !== 201) throw new Error(`POST /Users answered ${res.status}`);

  const pingone = createPingOne({ target: { url: described.baseUrl, token: described.token } });
  await pingone.listen({ port: 0 });
  const p1: PingOneDescription = pingone.describe();
  await Promise.all([code42.close(), pingone.close()]);

  const options: ConformanceOptions = { only: ['SCIM-DISCOVERY'] };
  const planned = planRequirements(options).map((r) => r.id);

  const filter = parseFilter('userName eq "ada@example.com"');
  const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: '1', userName: 'ada@example.com' };
  const matched = matchesFilter(filter, user, USER_RESOURCE_SCHEMA);
  const patched = applyPatch(
    user,
    {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    },
    USER_RESOURCE_SCHEMA,
  );
  const store = createUserStore();

  const jestOptions: JestConformanceOptions = { only: ['MUST'] };
  const container = new MockCode42Container('scim-lab:local').withToken('consumer-token-2');
  const lab: StartedWiredLab | undefined = undefined;

  console.log(
    JSON.stringify({
      created: res.status,
      environmentId: typeof p1.environmentId,
      planned,
      matched,
      active: patched.active,
      storeIsObject: typeof store === 'object',
      jestAdapter: typeof describeConformance,
      jestOptions,
      container: typeof container.start,
      lab: lab ?? null,
      port: CODE42_PORT,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import {
  resourceTypeById,
  resourceTypes,
  resourceTypesList,
  schemaById,
  schemas,
  schemasList,
  serviceProviderConfig,
} from './discovery';
import { ScimError } from './errors';
import { createUserStore } from './store';
import { URN } from './urns';

const base = 'http://127.0.0.1:8080/scim/v2';

interface DescribedAttribute {
  name: string;
  type: string;
  subAttributes?: DescribedAttribute[];
  referenceTypes?: string[];
  [characteristic: string]: unknown;
}

function allAttributes(attrs: DescribedAttribute[]): DescribedAttribute[] {
  return attrs.flatMap((a) => [a, ...allAttributes(a.subAttributes ?? [])]);
}

describe('RFC 7643 §5 ServiceProviderConfig', () => {
  it('declares what the server does: patch and etag as configured, filter with maxResults, no bulk, sort or changePassword', () => {
    const spc = serviceProviderConfig({ baseUrl: base + '/', patch: true, maxResults: 200, etag: false });
    expect(spc).toMatchObject({
      schemas: [URN.ServiceProviderConfig],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    });
    expect(spc.documentationUri).toBeUndefined();
  });

  it('declares OAuth bearer token authentication as the primary scheme', () => {
    const spc = serviceProviderConfig({
      baseUrl: base,
      patch: false,
      maxResults: 10,
      etag: true,
      documentationUri: 'https://example.com/doc',
    });
    expect(spc.authenticationSchemes).toEqual([expect.objectContaining({ type: 'oauthbearertoken', primary: true })]);
    expect(spc).toMatchObject({
      patch: { supported: false },
      etag: { supported: true },
      documentationUri: 'https://example.com/doc',
    });
  });
});

describe('RFC 7643 §7 Schemas', () => {
  const served = schemas(base) as { id: string; attributes: DescribedAttribute[]; meta: unknown }[];

  it('serves the core User schema and the enterprise extension, each with Schema meta', () => {
    expect(served.map((s) => s.id)).toEqual([URN.User, URN.EnterpriseUser]);
    for (const s of served) {
      expect(s).toMatchObject({
        schemas: [URN.Schema],
        meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
      });
    }
  });

  it('gives every attribute and sub-attribute all of its characteristics', () => {
    for (const attr of served.flatMap((s) => allAttributes(s.attributes))) {
      for (const key of [
        'name',
        'type',
        'multiValued',
        'description',
        'required',
        'caseExact',
        'mutability',
        'returned',
        'uniqueness',
      ]) {
        expect([attr.name, key, attr[key] !== undefined]).toEqual([attr.name, key, true]);
      }
      if (attr.type === 'reference')
        expect([attr.name, attr.referenceTypes?.length]).toEqual([attr.name, expect.any(Number)]);
      if (attr.type === 'complex')
        expect([attr.name, attr.subAttributes?.length]).toEqual([attr.name, expect.any(Number)]);
    }
  });

  it('never nests complex attributes (RFC 7643 §2.3.8)', () => {
    for (const attr of served.flatMap((s) => s.attributes)) {
      for (const sub of attr.subAttributes ?? []) expect(sub.type).not.toBe('complex');
    }
  });

  it('describes userName as required, not case-exact and unique per server (RFC 7643 §4.1.1)', () => {
    const userName = served[0].attributes.find((a) => a.name === 'userName');
    expect(userName).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
  });

  it('tells the truth about a store whose userName is case-exact', () => {
    const store = createUserStore({ userNameCaseExact: true });
    const core = schemas(base, store.schema)[0] as { attributes: DescribedAttribute[] };
    expect(core.attributes.find((a) => a.name === 'userName')).toMatchObject({ caseExact: true });
  });

  it('serves the list form and single lookups, URNs matched case-insensitively', () => {
    expect(schemasList(base)).toMatchObject({ schemas: [URN.ListResponse], totalResults: 2, Resources: served });
    expect(schemaById(base, URN.EnterpriseUser.toUpperCase())).toEqual(served[1]);
    expect(() => schemaById(base, URN.Group)).toThrow(ScimError);
  });
});

describe('RFC 7643 §6 ResourceTypes', () => {
  it('declares only User, with the enterprise extension not required', () => {
    expect(resourceTypes(base)).toEqual([
      {
        schemas: [URN.ResourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: URN.User,
        schemaExtensions: [{ schema: URN.EnterpriseUser, required: false }],
        meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
      },
    ]);
  });

  it('references only schemas that /Schemas serves', () => {
    const servedIds = new Set(schemas(base).map((s) => s.id));
    for (const rt of resourceTypes(base) as { schema: string; schemaExtensions: { schema: string }[] }[]) {
      for (const id of [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)]) expect(servedIds.has(id)).toBe(true);
    }
  });

  it('serves the list form and the single lookup, 404 for others', () => {
    expect(resourceTypesList(base)).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect(resourceTypeById(base, 'User')).toMatchObject({ id: 'User' });
    let status: number | undefined;
    try {
      resourceTypeById(base, 'Group');
    } catch (err) {
      status = (err as ScimError).status;
    }
    expect(status).toBe(404);
  });
});

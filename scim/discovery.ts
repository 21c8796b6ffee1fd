import { scimErrors } from './errors';
import { listResponse, type ListResponse } from './list';
import { USER_RESOURCE_SCHEMA, type AttributeDef, type ResourceSchema } from './schemas';
import { URN } from './urns';

// RFC 7643 §5, §6, §7: the three discovery documents, built from what the server really does.

export interface ServiceProviderConfigOptions {
  /** The SCIM base URL, without a trailing slash, e.g. http://127.0.0.1:8080/scim/v2. */
  baseUrl: string;
  patch: boolean;
  /** The largest page served (filter.maxResults). */
  maxResults: number;
  etag: boolean;
  documentationUri?: string;
}

export interface DiscoveryMeta {
  resourceType: 'ServiceProviderConfig' | 'ResourceType' | 'Schema';
  location: string;
}

/** RFC 7643 §5: tells the truth about this server: PATCH as configured, no bulk, filter, no sort, no changePassword. */
export function serviceProviderConfig(opts: ServiceProviderConfigOptions): Record<string, unknown> {
  const base = trimSlash(opts.baseUrl);
  return {
    schemas: [URN.ServiceProviderConfig],
    ...(opts.documentationUri ? { documentationUri: opts.documentationUri } : {}),
    patch: { supported: opts.patch },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: opts.maxResults },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: opts.etag },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with an OAuth 2.0 bearer token (RFC 6750): Authorization: Bearer <token>.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: meta('ServiceProviderConfig', `${base}/ServiceProviderConfig`),
  };
}

/** The resource types a server serves: User with its extensions, and Group when it has one (RFC 7643 §4.2). */
export interface ServedSchemas {
  user: ResourceSchema;
  group?: ResourceSchema;
}

/** The schemas a discovery document describes: a User resource schema alone, or User and Group. */
export type Served = ResourceSchema | ServedSchemas;

function served(schema: Served = USER_RESOURCE_SCHEMA): ServedSchemas {
  return 'core' in schema ? { user: schema } : schema;
}

/** RFC 7643 §6: the User resource type with its schema extensions (not required), then Group when served. */
export function resourceTypes(baseUrl: string, schema?: Served): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  const { user, group } = served(schema);
  const type = (id: string, endpoint: string, description: string, s: ResourceSchema) => ({
    schemas: [URN.ResourceType],
    id,
    name: id,
    endpoint,
    description,
    schema: s.core.id,
    schemaExtensions: s.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: meta('ResourceType', `${base}/ResourceTypes/${id}`),
  });
  return [type('User', '/Users', 'User Account', user), ...(group ? [type('Group', '/Groups', 'Group', group)] : [])];
}

/**
 * RFC 7643 §7: one Schema resource per schema of the served resource types, from the data in schemas.ts.
 * The common attributes (id, externalId, meta) are not listed, as in RFC 7643 §8.7.1.
 */
export function schemas(baseUrl: string, schema?: Served): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  const { user, group } = served(schema);
  const all = [user.core, ...user.extensions, ...(group ? [group.core, ...group.extensions] : [])];
  return all.map((s) => ({
    schemas: [URN.Schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(describe),
    meta: meta('Schema', `${base}/Schemas/${s.id}`),
  }));
}

/** GET /ResourceTypes (RFC 7644 §4). */
export function resourceTypesList(baseUrl: string, schema?: Served): ListResponse<Record<string, unknown>> {
  const all = resourceTypes(baseUrl, schema);
  return listResponse(all, all.length, 1);
}

/** GET /Schemas (RFC 7644 §4). */
export function schemasList(baseUrl: string, schema?: Served): ListResponse<Record<string, unknown>> {
  const all = schemas(baseUrl, schema);
  return listResponse(all, all.length, 1);
}

/** GET /ResourceTypes/{id}; throws notFound. */
export function resourceTypeById(baseUrl: string, id: string, schema?: Served): Record<string, unknown> {
  const found = resourceTypes(baseUrl, schema).find((r) => r.id === id);
  if (!found) throw scimErrors.notFound(`ResourceType '${id}' not found`);
  return found;
}

/** GET /Schemas/{urn}; the URN is matched case-insensitively (RFC 7643 §2.1); throws notFound. */
export function schemaById(baseUrl: string, urn: string, schema?: Served): Record<string, unknown> {
  const found = schemas(baseUrl, schema).find((s) => String(s.id).toLowerCase() === urn.toLowerCase());
  if (!found) throw scimErrors.notFound(`Schema '${urn}' not found`);
  return found;
}

/** RFC 7643 §7: every attribute with all of its characteristics, sub-attributes included. */
function describe(def: AttributeDef): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
  };
  if (def.canonicalValues) out.canonicalValues = [...def.canonicalValues];
  if (def.referenceTypes) out.referenceTypes = [...def.referenceTypes];
  if (def.subAttributes) out.subAttributes = def.subAttributes.map(describe);
  return out;
}

function meta(resourceType: DiscoveryMeta['resourceType'], location: string): DiscoveryMeta {
  return { resourceType, location };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

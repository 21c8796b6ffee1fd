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

/** RFC 7643 §6: the User resource type only (Groups are out of scope), with its schema extensions, not required. */
export function resourceTypes(
  baseUrl: string,
  schema: ResourceSchema = USER_RESOURCE_SCHEMA,
): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  return [
    {
      schemas: [URN.ResourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: schema.core.id,
      schemaExtensions: schema.extensions.map((e) => ({ schema: e.id, required: false })),
      meta: meta('ResourceType', `${base}/ResourceTypes/User`),
    },
  ];
}

/**
 * RFC 7643 §7: one Schema resource per schema of the User resource type, from the data in schemas.ts.
 * The common attributes (id, externalId, meta) are not listed, as in RFC 7643 §8.7.1.
 */
export function schemas(baseUrl: string, schema: ResourceSchema = USER_RESOURCE_SCHEMA): Record<string, unknown>[] {
  const base = trimSlash(baseUrl);
  return [schema.core, ...schema.extensions].map((s) => ({
    schemas: [URN.Schema],
    id: s.id,
    name: s.name,
    description: s.description,
    attributes: s.attributes.map(describe),
    meta: meta('Schema', `${base}/Schemas/${s.id}`),
  }));
}

/** GET /ResourceTypes (RFC 7644 §4). */
export function resourceTypesList(baseUrl: string, schema?: ResourceSchema): ListResponse<Record<string, unknown>> {
  const all = resourceTypes(baseUrl, schema);
  return listResponse(all, all.length, 1);
}

/** GET /Schemas (RFC 7644 §4). */
export function schemasList(baseUrl: string, schema?: ResourceSchema): ListResponse<Record<string, unknown>> {
  const all = schemas(baseUrl, schema);
  return listResponse(all, all.length, 1);
}

/** GET /ResourceTypes/{id}; throws notFound. */
export function resourceTypeById(baseUrl: string, id: string, schema?: ResourceSchema): Record<string, unknown> {
  const found = resourceTypes(baseUrl, schema).find((r) => r.id === id);
  if (!found) throw scimErrors.notFound(`ResourceType '${id}' not found`);
  return found;
}

/** GET /Schemas/{urn}; the URN is matched case-insensitively (RFC 7643 §2.1); throws notFound. */
export function schemaById(baseUrl: string, urn: string, schema?: ResourceSchema): Record<string, unknown> {
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

import { randomBytes } from 'node:crypto';
import { URN } from '../scim/urns';
import { describeFailure } from './failures';
import type { FailureCategory } from './failures';
import type { ScimStoreConfiguration } from './model';
import type { ProbeKind } from './options';
import type { Connection, OutboundScimClient } from './outbound-client';
import { userFilterQuery } from './provisioner-wire';

// [SEED step 5.7] "Click Test Connection. Resolve any issues that are reported."
// Which call PingOne makes is unknown [INF, SEED-5, SEED-6 (docs/sources.md)]; the probe is an option.

export interface ConnectionCheck {
  status: 'SUCCESS' | 'FAILURE';
  category?: FailureCategory;
  message: string;
  probe: { method: 'GET'; url: string; status: number };
}

function probePath(config: ScimStoreConfiguration, kind: ProbeKind): string {
  switch (kind) {
    case 'users-filter':
      // A value no real user has: the search must answer an empty ListResponse.
      return `${config.USERS_RESOURCE}?${userFilterQuery(config.USER_FILTER, `scim-lab-probe-${randomBytes(6).toString('hex')}`)}&count=1`;
    case 'users-list':
      return `${config.USERS_RESOURCE}?count=1`;
    case 'service-provider-config':
      return '/ServiceProviderConfig';
  }
}

function looksLikeScim(body: unknown, kind: ProbeKind): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { schemas?: unknown; totalResults?: unknown };
  const schemas = Array.isArray(b.schemas) ? b.schemas : [];
  if (kind === 'service-provider-config') return schemas.includes(URN.ServiceProviderConfig);
  // RFC 7644 §3.4.2: a query answers a ListResponse with totalResults.
  return schemas.includes(URN.ListResponse) && typeof b.totalResults === 'number';
}

/** One authenticated probe, no retries: the admin gets the real failure at once. */
export async function testConnection(
  client: OutboundScimClient,
  connection: Connection,
  config: ScimStoreConfiguration,
  kind: ProbeKind,
): Promise<ConnectionCheck> {
  const path = probePath(config, kind);
  const url = connection.baseUrl + path;
  const response = await client.send(connection, { method: 'GET', path });
  const probe = { method: 'GET' as const, url, status: response.status };
  if (response.status >= 200 && response.status < 300) {
    if (looksLikeScim(response.body, kind)) {
      return {
        status: 'SUCCESS',
        message: `Connected: ${url} answered a SCIM ${kind === 'service-provider-config' ? 'ServiceProviderConfig' : 'ListResponse'}.`,
        probe,
      };
    }
    const type = response.headers['content-type'] ?? 'no content type';
    return {
      status: 'FAILURE',
      category: 'not-scim',
      message: `${url} answered HTTP ${response.status} (${type}) but not with a SCIM ${kind === 'service-provider-config' ? 'ServiceProviderConfig' : 'ListResponse'}: this does not look like a SCIM 2.0 server. Check the SCIM base URL.`,
      probe,
    };
  }
  const failure = describeFailure(response, url);
  return { status: 'FAILURE', category: failure.category, message: failure.message, probe };
}

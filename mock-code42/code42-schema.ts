// The Code42 User extension: `c42OrgName`, the attribute that places a user in an organization by name
// [DOC C42-SCIM-PROVISIONING]. Its schema URN is not public [INF]: ResolvedCode42Options.code42ExtensionUrn.
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, type ResourceSchema, type SchemaDef } from '../scim';

export function code42Extension(urn: string): SchemaDef {
  return {
    id: urn,
    name: 'Code42User',
    description: 'Code42 User extension (the URN is the lab inference; Code42 documents only the attribute name)',
    attributes: [
      {
        name: 'c42OrgName',
        type: 'string',
        multiValued: false,
        description:
          'The name of the Code42 organization the user belongs in; Code42 creates the organization when it is missing.',
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
      },
    ],
  };
}

/** The schema the mock Code42's users are validated, filtered and patched against: core, enterprise, Code42. */
export function code42UserSchema(urn: string): ResourceSchema {
  return { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA, code42Extension(urn)] };
}

/** The `c42OrgName` of a stored user, if any. */
export function c42OrgNameOf(user: Readonly<Record<string, unknown>>, urn: string): string | undefined {
  const ext = user[urn] as Record<string, unknown> | undefined;
  const name = ext?.c42OrgName;
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}

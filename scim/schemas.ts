import { URN } from './urns';

/** RFC 7643 §2.3 data types. */
export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** RFC 7643 §7: an attribute definition, as served by /Schemas. */
export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

type Opts = Partial<Omit<AttributeDef, 'name' | 'type' | 'subAttributes'>>;

function attr(name: string, type: AttributeType, description: string, opts: Opts = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...opts,
  };
}

function complex(name: string, description: string, subAttributes: AttributeDef[], opts: Opts = {}): AttributeDef {
  return { ...attr(name, 'complex', description, opts), subAttributes };
}

/** RFC 7643 §2.4 multi-valued sub-attributes: value, display, type, primary (plus $ref where noted). */
function multi(
  name: string,
  description: string,
  value: AttributeDef,
  types: string[],
  extra: AttributeDef[] = [],
  opts: Opts = {},
): AttributeDef {
  return complex(
    name,
    description,
    [
      value,
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.', {
        mutability: 'readWrite',
      }),
      attr(
        'type',
        'string',
        `A label indicating the attribute's function, e.g. ${types.map((t) => `'${t}'`).join(', ')}.`,
        {
          canonicalValues: types,
        },
      ),
      attr('primary', 'boolean', "A Boolean value indicating the 'primary' or preferred attribute value."),
      ...extra,
    ],
    { multiValued: true, ...opts },
  );
}

/** RFC 7643 §3.1: attributes common to every resource. They carry no schema URN prefix. */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  attr('id', 'string', 'A unique identifier for a SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr(
    'externalId',
    'string',
    'A String that is an identifier for the resource as defined by the provisioning client.',
    {
      caseExact: true,
    },
  ),
  complex(
    'meta',
    'A complex attribute containing resource metadata.',
    [
      attr('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attr('created', 'dateTime', 'The DateTime that the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attr('lastModified', 'dateTime', 'The most recent DateTime that the details of this resource were updated.', {
        mutability: 'readOnly',
      }),
      attr('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attr('version', 'string', 'The version of the resource being returned (an entity tag).', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
    { mutability: 'readOnly' },
  ),
];

/** RFC 7643 §4.1 and §8.7.1: the core User schema. */
export const USER_SCHEMA: SchemaDef = {
  id: URN.User,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', 'Unique identifier for the User, typically used by the user to directly authenticate.', {
      required: true,
      uniqueness: 'server',
    }),
    complex('name', "The components of the user's real name.", [
      attr('formatted', 'string', 'The full name, including all middle names, titles, and suffixes.'),
      attr('familyName', 'string', 'The family name of the User, or last name.'),
      attr('givenName', 'string', 'The given name of the User, or first name.'),
      attr('middleName', 'string', 'The middle name(s) of the User.'),
      attr('honorificPrefix', 'string', "The honorific prefix(es) of the User, e.g. 'Ms.'."),
      attr('honorificSuffix', 'string', "The honorific suffix(es) of the User, e.g. 'III'."),
    ]),
    attr('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'string', 'The casual way to address the user in real life.'),
    attr(
      'profileUrl',
      'reference',
      "A fully qualified URL pointing to a page representing the User's online profile.",
      {
        referenceTypes: ['external'],
      },
    ),
    attr('title', 'string', "The user's title, such as 'Vice President'."),
    attr(
      'userType',
      'string',
      "Used to identify the relationship between the organization and the user, e.g. 'Employee'.",
    ),
    attr('preferredLanguage', 'string', "Indicates the User's preferred written or spoken language, e.g. 'en-US'."),
    attr('locale', 'string', "Used to indicate the User's default location, e.g. 'en-US'."),
    attr('timezone', 'string', "The User's time zone in the 'Olson' time zone database format."),
    attr('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    attr('password', 'string', "The User's cleartext password.", { mutability: 'writeOnly', returned: 'never' }),
    multi('emails', 'Email addresses for the user.', attr('value', 'string', 'Email addresses for the user.'), [
      'work',
      'home',
      'other',
    ]),
    multi('phoneNumbers', 'Phone numbers for the User.', attr('value', 'string', 'Phone number of the User.'), [
      'work',
      'home',
      'mobile',
      'fax',
      'pager',
      'other',
    ]),
    multi(
      'ims',
      'Instant messaging addresses for the User.',
      attr('value', 'string', 'Instant messaging address for the User.'),
      ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    ),
    multi(
      'photos',
      'URLs of photos of the User.',
      attr('value', 'reference', 'URL of a photo of the User.', { referenceTypes: ['external'] }),
      ['photo', 'thumbnail'],
    ),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        attr('formatted', 'string', 'The full mailing address, formatted for display or use with a mailing label.'),
        attr('streetAddress', 'string', 'The full street address component.'),
        attr('locality', 'string', 'The city or locality component.'),
        attr('region', 'string', 'The state or region component.'),
        attr('postalCode', 'string', 'The zip code or postal code component.'),
        attr('country', 'string', 'The country name component (ISO 3166-1 alpha-2 recommended).'),
        attr('type', 'string', "A label indicating the attribute's function, e.g. 'work' or 'home'.", {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'boolean', "A Boolean value indicating the 'primary' or preferred address."),
      ],
      { multiValued: true },
    ),
    multi(
      'groups',
      'A list of groups to which the user belongs.',
      attr('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
      ['direct', 'indirect'],
      [
        attr('$ref', 'reference', "The URI of the corresponding 'Group' resource.", {
          mutability: 'readOnly',
          referenceTypes: ['User', 'Group'],
        }),
      ],
      { mutability: 'readOnly' },
    ),
    multi(
      'entitlements',
      'A list of entitlements for the User.',
      attr('value', 'string', 'The value of an entitlement.'),
      [],
    ),
    multi('roles', 'A list of roles for the User.', attr('value', 'string', 'The value of a role.'), []),
    multi(
      'x509Certificates',
      'A list of certificates issued to the User.',
      attr('value', 'binary', 'The value of an X.509 certificate.'),
      [],
    ),
  ],
};

/** RFC 7643 §4.3: the enterprise User extension. */
export const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: URN.EnterpriseUser,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
    attr('costCenter', 'string', 'Identifies the name of a cost center.'),
    attr('organization', 'string', 'Identifies the name of an organization.'),
    attr('division', 'string', 'Identifies the name of a division.'),
    attr('department', 'string', 'Identifies the name of a department.'),
    complex('manager', "The User's manager.", [
      attr('value', 'string', "The id of the SCIM resource representing the User's manager."),
      attr('$ref', 'reference', "The URI of the SCIM resource representing the User's manager.", {
        referenceTypes: ['User'],
      }),
      attr('displayName', 'string', "The displayName of the User's manager.", { mutability: 'readOnly' }),
    ]),
  ],
};

/**
 * RFC 7643 §4.2 and §8.7.1: the core Group schema. §4.2 calls `displayName` REQUIRED, while §8.7.1's schema
 * representation says `"required": false`; the text is followed. `members.display` is not in §8.7.1 but is in §4.2's
 * examples and in what IdPs send, so it is kept as a readWrite string.
 */
export const GROUP_SCHEMA: SchemaDef = {
  id: URN.Group,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', 'A human-readable name for the Group. REQUIRED.', { required: true }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        attr('value', 'string', 'Identifier of the member of this Group.', {
          caseExact: true,
          mutability: 'immutable',
        }),
        attr('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          caseExact: true,
          mutability: 'immutable',
          referenceTypes: ['User', 'Group'],
        }),
        attr('type', 'string', "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          mutability: 'immutable',
          canonicalValues: ['User', 'Group'],
        }),
        attr('display', 'string', 'A human-readable name for the member, primarily used for display purposes.'),
      ],
      { multiValued: true },
    ),
  ],
};

/** The resource schema a User resource is validated, filtered and patched against. */
export interface ResourceSchema {
  core: SchemaDef;
  extensions: SchemaDef[];
}

export const USER_RESOURCE_SCHEMA: ResourceSchema = { core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] };

/** The Group resource type's schema: the core Group schema, no extension. */
export const GROUP_RESOURCE_SCHEMA: ResourceSchema = { core: GROUP_SCHEMA, extensions: [] };

/** A resolved attribute: where it lives (`urn` undefined means core or common) and its definition. */
export interface ResolvedAttribute {
  /** The extension URN that holds it, or undefined for core and common attributes. */
  extension?: string;
  def: AttributeDef;
  /** The sub-attribute definition, when the path names one (e.g. name.givenName). */
  sub?: AttributeDef;
}

/**
 * Resolves an attribute path such as `userName`, `name.givenName`,
 * `urn:ietf:params:scim:schemas:core:2.0:User:emails.value` or
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`, case-insensitively
 * (RFC 7644 §3.4.2.2, RFC 7643 §2.1). Returns undefined when the schema has no such attribute.
 */
export function resolveAttribute(schema: ResourceSchema, path: string): ResolvedAttribute | undefined {
  let extension: string | undefined;
  let rest = path;
  const lower = path.toLowerCase();
  const ext = schema.extensions.find((e) => lower.startsWith(e.id.toLowerCase() + ':'));
  if (ext) {
    extension = ext.id;
    rest = path.slice(ext.id.length + 1);
  } else if (lower.startsWith(schema.core.id.toLowerCase() + ':')) {
    rest = path.slice(schema.core.id.length + 1);
  }
  const [name, subName, ...more] = rest.split('.');
  if (more.length > 0 || !name) return undefined;
  const pool = extension ? (ext as SchemaDef).attributes : [...COMMON_ATTRIBUTES, ...schema.core.attributes];
  const def = findByName(pool, name);
  if (!def) return undefined;
  if (subName === undefined) return { extension, def };
  const sub = def.subAttributes ? findByName(def.subAttributes, subName) : undefined;
  return sub ? { extension, def, sub } : undefined;
}

export function findByName(defs: AttributeDef[], name: string): AttributeDef | undefined {
  const n = name.toLowerCase();
  return defs.find((d) => d.name.toLowerCase() === n);
}

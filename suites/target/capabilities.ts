// What a server declares in /ServiceProviderConfig binds it (issue 13 §6): PATCH (RFC 7644 §3.5.2), ETags
// (§3.14), filtering (§3.4.2.2) and sorting (§3.4.2.3) are optional, but a server that says it supports one is checked
// at the level the RFC gives its semantics. Each is `skipped` when the server does not declare the feature.
// Entra ID and Okta PATCH users and rely on these declarations; PingOne does not PATCH users (SEED/DOC, update.ts).
import {
  describeRequest,
  expectEqual,
  expectScimError,
  expectStatus,
  fail,
  requirementPrefix,
  skip,
  type CheckContext,
  type HttpClient,
  type HttpResponse,
  type Requirement,
} from '../engine';
import { given, listOf, patchOp, prefixFilter, read, scimUser, search, userPath, type Resource } from './support';

const PATCH_SECTION = 'RFC 7644 §3.5.2';
const DECLARED = 'Runs only when /ServiceProviderConfig declares the feature, and is skipped otherwise.';

type Operation = { op: string; path?: string; value?: unknown };
type Feature = 'patch' | 'etag' | 'filter' | 'sort';

/** RFC 7643 §5: skips unless /ServiceProviderConfig declares `<feature>.supported: true`. */
async function declared(target: HttpClient, feature: Feature): Promise<void> {
  const spc = await given.serviceProviderConfig(target);
  const optionalFeature = { optionalFeature: true };
  if (spc === undefined)
    skip(`the target serves no /ServiceProviderConfig, so it declares no ${feature} support`, optionalFeature);
  if (read(spc, `${feature}.supported`) !== true)
    skip(`/ServiceProviderConfig does not declare ${feature}.supported: true`, optionalFeature);
}

/** PATCH, expecting 200 or 204 (RFC 7644 §3.5.2), then the user as the target holds it afterwards. */
async function patched(target: HttpClient, id: string, ...operations: Operation[]) {
  expectStatus(await target.patch(userPath(id), { body: patchOp(...operations) }), [200, 204]);
  return given.userRead(target, id);
}

/** A user with two values in each multi-valued attribute the checks touch, so that "the other value" exists. */
async function richUser(ctx: CheckContext): Promise<{ id: string; sent: Resource }> {
  const base = scimUser(ctx.users.next('full'));
  const work = (base.emails as Resource[] | undefined)?.[0] ?? { type: 'work', value: 'work@example.com' };
  const sent: Resource = {
    ...base,
    emails: [
      { ...work, primary: true },
      { type: 'home', value: `home.${String(work.value)}` },
    ],
    phoneNumbers: [
      { type: 'work', value: '+1 555 0100' },
      { type: 'mobile', value: '+1 555 0199' },
    ],
  };
  const { id } = await given.userExists(ctx.target, sent);
  return { id, sent };
}

/** The value of `path` in `resource` must be `expected`. */
function expectAt(res: HttpResponse, resource: Resource, path: string, expected: unknown, when: string): void {
  expectEqual(read(resource, path), expected, `${path} ${when}`, res);
}

/** The userName of every resource of a list answer, in the order given. */
function userNames(res: HttpResponse): unknown[] {
  return listOf(res).resources.map((r) => read(r, 'userName'));
}

/**
 * Users `<prefix><local>` for each local part, created in the order given, with a title unless `without` names them;
 * returns their userNames.
 */
async function named(ctx: CheckContext, locals: string[], without: string[] = []): Promise<string[]> {
  const prefix = requirementPrefix(ctx.runPrefix, ctx.requirement.id);
  const names: string[] = [];
  for (const local of locals) {
    const body = scimUser({ ...ctx.users.next('full'), username: `${prefix}${local}` });
    if (without.includes(local)) delete body.title;
    else body.title = body.title ?? 'Titled';
    await given.userExists(ctx.target, body);
    names.push(`${prefix}${local}`);
  }
  return names;
}

export const capabilityRequirements: Requirement<CheckContext>[] = [
  {
    id: 'SCIM-PATCH-DECLARED-ADD',
    level: 'MUST',
    source: 'RFC7644-3.5.2; RFC7644-3.5.2.1',
    quote:
      'Each PATCH operation object MUST have exactly one "op" member, whose value indicates the operation to perform and MAY be one of "add", "remove", or "replace".',
    title: 'When PATCH is declared, add sets a simple attribute, merges into a complex one and appends a value',
    suite: 'target',
    section: PATCH_SECTION,
    pairedDeviations: ['patch-not-implemented'],
    accepts: `200 with the user or 204 with no body; the new value anywhere in the array. ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'patch');
      const { id, sent } = await richUser(ctx);
      const { title: _title, ...untitled } = sent;
      expectStatus(await ctx.target.put(userPath(id), { body: untitled }), 200);
      let after = await patched(ctx.target, id, { op: 'add', path: 'title', value: 'Added' });
      expectAt(after.res, after.resource, 'title', 'Added', 'after add with a path');
      after = await patched(ctx.target, id, { op: 'add', value: { name: { middleName: 'Q.' }, nickName: 'Addy' } });
      expectAt(after.res, after.resource, 'name.middleName', 'Q.', 'after add without a path');
      expectAt(after.res, after.resource, 'nickName', 'Addy', 'after add without a path');
      expectAt(
        after.res,
        after.resource,
        'name.familyName',
        read(sent, 'name.familyName'),
        'after add of name.middleName',
      );
      const other = { type: 'other', value: '+1 555 0142' };
      after = await patched(ctx.target, id, { op: 'add', path: 'phoneNumbers', value: [other] });
      const phones = read(after.resource, 'phoneNumbers');
      const values = Array.isArray(phones) ? phones.map((p) => read(p as Resource, 'value')) : phones;
      expectEqual(
        Array.isArray(values) ? [...values].sort() : values,
        ['+1 555 0100', '+1 555 0142', '+1 555 0199'],
        'phoneNumbers values after add of a third number (RFC 7644 §3.5.2.1: a new value is added)',
        after.res,
      );
      expectAt(after.res, after.resource, 'userName', sent.userName, 'after three adds (not named, so untouched)');
    },
  },
  {
    id: 'SCIM-PATCH-DECLARED-REPLACE',
    level: 'MUST',
    source: 'RFC7644-3.5.2.3',
    quote:
      'If the target location specifies a complex attribute, a set of sub-attributes SHALL be specified in the "value" parameter, which replaces any existing values or adds where an attribute did not previously exist.',
    title: 'When PATCH is declared, replace changes only what it names: a sub-attribute, a filtered value, no path',
    suite: 'target',
    section: PATCH_SECTION,
    pairedDeviations: ['patch-not-implemented', 'patch-replace-all-values'],
    accepts: `200 with the user or 204 with no body; multi-valued attributes in any order. ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'patch');
      const { id, sent } = await richUser(ctx);
      let after = await patched(ctx.target, id, { op: 'replace', path: 'name', value: { givenName: 'Renamed' } });
      expectAt(after.res, after.resource, 'name.givenName', 'Renamed', 'after replace of name');
      expectAt(after.res, after.resource, 'name.familyName', read(sent, 'name.familyName'), 'after replace of name');
      const path = 'phoneNumbers[type eq "work"].value';
      after = await patched(ctx.target, id, { op: 'replace', path, value: '+1 555 0111' });
      expectAt(after.res, after.resource, path, '+1 555 0111', 'after replace with a value filter');
      expectAt(
        after.res,
        after.resource,
        'phoneNumbers[type eq "mobile"].value',
        '+1 555 0199',
        `after replace of ${path}`,
      );
      after = await patched(ctx.target, id, { op: 'replace', value: { nickName: 'Nicked' } });
      expectAt(after.res, after.resource, 'nickName', 'Nicked', 'after replace without a path');
      expectAt(after.res, after.resource, 'title', read(sent, 'title'), 'after replace without a path (not named)');
    },
  },
  {
    id: 'SCIM-PATCH-DECLARED-REMOVE',
    level: 'MUST',
    source: 'RFC7644-3.5.2; RFC7644-3.5.2.2',
    quote:
      'Each PATCH operation object MUST have exactly one "op" member, whose value indicates the operation to perform and MAY be one of "add", "remove", or "replace".',
    title: 'When PATCH is declared, remove takes away an attribute, a sub-attribute and the values a filter selects',
    suite: 'target',
    section: PATCH_SECTION,
    pairedDeviations: ['patch-not-implemented'],
    accepts: `200 with the user or 204 with no body; a removed attribute absent or null. ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'patch');
      const { id, sent } = await richUser(ctx);
      const gone = (value: unknown) => value === undefined || value === null;
      let after = await patched(ctx.target, id, { op: 'remove', path: 'title' });
      if (!gone(read(after.resource, 'title')))
        fail(`after PATCH remove title, ${describeRequest(after.res)} still answers a title`, after.res);
      after = await patched(ctx.target, id, { op: 'remove', path: 'name.formatted' });
      if (!gone(read(after.resource, 'name.formatted')))
        fail(`after PATCH remove name.formatted, ${describeRequest(after.res)} still answers it`, after.res);
      expectAt(
        after.res,
        after.resource,
        'name.givenName',
        read(sent, 'name.givenName'),
        'after remove of name.formatted',
      );
      after = await patched(ctx.target, id, { op: 'remove', path: 'emails[type eq "home"]' });
      const emails = read(after.resource, 'emails');
      const types = Array.isArray(emails) ? emails.map((e) => read(e as Resource, 'type')) : emails;
      expectEqual(types, ['work'], 'emails types after remove of emails[type eq "home"]', after.res);
    },
  },
  {
    id: 'SCIM-PATCH-ATOMIC',
    level: 'MUST',
    source: 'RFC7644-3.5.2',
    quote:
      'If a single operation encounters an error condition, the original SCIM resource MUST be restored, and a failure status SHALL be returned.',
    title: 'When PATCH is declared, a request whose second operation fails changes nothing',
    suite: 'target',
    section: PATCH_SECTION,
    pairedDeviations: ['patch-not-implemented', 'patch-not-atomic'],
    accepts: `Any 4xx for the failing request. ${DECLARED}`,
    dependsOn: ['SCIM-PATCH-DECLARED-REPLACE'],
    async check(ctx) {
      await declared(ctx.target, 'patch');
      const { id, sent } = await richUser(ctx);
      // RFC 7644 §3.5.2.2: remove without a path fails with noTarget.
      const res = await ctx.target.patch(userPath(id), {
        body: patchOp({ op: 'replace', path: 'title', value: 'Half-applied' }, { op: 'remove' }),
      });
      expectStatus(res, '4xx');
      const { res: readBack, resource } = await given.userRead(ctx.target, id);
      if (read(resource, 'title') !== read(sent, 'title')) {
        fail(
          `${describeRequest(res)} answered ${res.status}, yet its first operation was kept: title is ${JSON.stringify(read(resource, 'title'))}, expected ${JSON.stringify(read(sent, 'title'))}`,
          [res, readBack],
        );
      }
    },
  },
  {
    id: 'SCIM-PATCH-DECLARED-ERRORS',
    level: 'SHOULD',
    source: 'RFC7644-3.5.2.2; RFC7644-3.12',
    quote:
      'If "path" is unspecified, the operation fails with HTTP status code 400 and a "scimType" error code of "noTarget".',
    title: 'When PATCH is declared, a remove without path, a malformed path and a readOnly id answer their scimType',
    suite: 'target',
    section: PATCH_SECTION,
    pairedDeviations: ['patch-not-implemented', 'patch-generic-errors'],
    accepts: `Any detail text; the Error body as RFC 7644 §3.12 gives it. ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'patch');
      const { id } = await richUser(ctx);
      const send = (op: Operation) => ctx.target.patch(userPath(id), { body: patchOp(op) });
      expectScimError(await send({ op: 'remove' }), 400, 'noTarget');
      expectScimError(await send({ op: 'replace', path: 'title]', value: 'x' }), 400, 'invalidPath');
      expectScimError(await send({ op: 'replace', path: 'id', value: 'another-id' }), 400, 'mutability');
    },
  },
  {
    id: 'SCIM-ETAG-IF-MATCH',
    level: 'MUST',
    source: 'RFC7232-3.1; RFC7644-3.14',
    quote: 'An origin server MUST NOT perform the requested method if a received If-Match condition evaluates to false',
    title: 'When ETags are declared, a PUT with a stale If-Match answers 412 and changes nothing',
    suite: 'target',
    section: 'RFC 7644 §3.14',
    pairedDeviations: ['ignore-if-match'],
    accepts: `Weak or strong ETags; the current version from the ETag header or meta.version. ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'etag');
      const user = ctx.users.next();
      const { id } = await given.userExists(ctx.target, scimUser(user));
      const first = await given.userRead(ctx.target, id);
      const stale = first.res.headers.etag ?? read(first.resource, 'meta.version');
      if (typeof stale !== 'string')
        fail(`${describeRequest(first.res)} answered no ETag and no meta.version`, first.res);
      const newer = await ctx.target.put(userPath(id), {
        body: { ...scimUser(user), title: 'Newer' },
        headers: { 'if-match': stale },
      });
      expectStatus(newer, 200);
      const late = await ctx.target.put(userPath(id), {
        body: { ...scimUser(user), title: 'Stale' },
        headers: { 'if-match': stale },
      });
      expectStatus(late, 412);
      const { res, resource } = await given.userRead(ctx.target, id);
      expectAt(res, resource, 'title', 'Newer', `after the PUT with the stale If-Match ${stale}`);
    },
  },
  {
    id: 'SCIM-FILTER-OPERATORS',
    level: 'MUST',
    source: 'RFC7644-3.4.2.2',
    quote: 'Filters MUST be evaluated using the following order of operations, in order of precedence:',
    title: 'When filtering is declared, co, ew, pr, not, and/or with grouping select exactly the users they describe',
    suite: 'target',
    section: 'RFC 7644 §3.4.2.2',
    pairedDeviations: ['filter-co-as-sw'],
    accepts: `Operators and attribute names in any case; results in any order; pages as the server cuts them (the check counts totalResults). ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'filter');
      const [alpha, bravo, charlie] = await named(ctx, ['alpha-one', 'bravo-two', 'charlie-three'], ['charlie-three']);
      const mine = prefixFilter(requirementPrefix(ctx.runPrefix, ctx.requirement.id));
      const cases: [string, string[]][] = [
        [`${mine} and userName co "pha-on"`, [alpha]],
        [`${mine} and userName ew "two"`, [bravo]],
        [`${mine} and (userName ew "-three" or userName co "ha-on")`, [alpha, charlie]],
        [`${mine} and not (userName ew "two")`, [alpha, charlie]],
        [`${mine} and title pr`, [alpha, bravo]],
      ];
      for (const [filter, expected] of cases) {
        const res = await search(ctx.target, filter, { count: 10 });
        const list = listOf(res);
        const found = userNames(res).map(String).sort();
        // A page may hold fewer than totalResults (RFC 7644 §3.4.2.4); what it holds must be among the expected.
        const wrong =
          found.length === expected.length
            ? found.join() !== expected.join()
            : found.some((n) => !expected.includes(n));
        if (list.totalResults !== expected.length || wrong) {
          fail(
            `${describeRequest(res)} answered totalResults ${list.totalResults} with ${JSON.stringify(found)}; expected ${JSON.stringify(expected)}`,
            res,
          );
        }
      }
    },
  },
  {
    id: 'SCIM-SORT',
    level: 'MUST',
    source: 'RFC7644-3.4.2.3',
    quote: 'The "sortBy" parameter specifies the attribute whose value SHALL be used to order the returned responses.',
    title: 'When sorting is declared, sortBy=userName orders the users ascending, and sortOrder=descending reverses it',
    suite: 'target',
    section: 'RFC 7644 §3.4.2.3',
    pairedDeviations: ['declares-sort'],
    accepts: `sortOrder omitted means ascending; pages as the server cuts them (the check reads the first page only, of count 3). ${DECLARED}`,
    async check(ctx) {
      await declared(ctx.target, 'sort');
      const [charlie, alpha, bravo] = await named(ctx, ['charlie', 'alpha', 'bravo']);
      const mine = prefixFilter(requirementPrefix(ctx.runPrefix, ctx.requirement.id));
      for (const [sortOrder, expected] of [
        [undefined, [alpha, bravo, charlie]],
        ['descending', [charlie, bravo, alpha]],
      ] as const) {
        const res = await ctx.target.get('/Users', {
          query: { filter: mine, sortBy: 'userName', sortOrder, count: 3 },
        });
        const names = userNames(res);
        const page = expected.slice(0, names.length);
        if (names.length === 0 || names.join() !== page.join()) {
          fail(`${describeRequest(res)} answered ${JSON.stringify(names)}; expected ${JSON.stringify(expected)}`, res);
        }
      }
    },
  },
];

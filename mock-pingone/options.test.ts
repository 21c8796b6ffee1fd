import { createPingOne, PINGONE_DEVIATIONS } from './index';
import { resolveOptions } from './options';
import { parseDeviations } from './deviations';

// style.md 5: one typed options object with defaults, validated once; a bad option names itself.

describe('PingOne options: defaults', () => {
  it('generates distinct credentials and applies the documented defaults', () => {
    const o = resolveOptions();
    expect(new Set([o.apiToken, o.adminToken, o.clientSecret]).size).toBe(3);
    expect(o).toEqual(
      expect.objectContaining({
        contentType: 'application/scim+json',
        cannotClear: true,
        probe: 'users-filter',
        concurrency: 8,
        insecure: false,
        retry: { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 10_000, maxRetryAfterMs: 120_000 },
      }),
    );
  });

  it('gives each instance its own environment and credentials', () => {
    const a = createPingOne();
    const b = createPingOne();
    expect(a.seedIds().environmentId).not.toBe(b.seedIds().environmentId);
    expect(a.options.apiToken).not.toBe(b.options.apiToken);
    void a.close();
    void b.close();
  });
});

describe('PingOne options: a bad option throws an Error naming it', () => {
  const cases: [string, Parameters<typeof resolveOptions>[0], string][] = [
    ['more than 10 attempts', { retry: { maxAttempts: 11 } }, "'retry.maxAttempts'"],
    ['zero attempts', { retry: { maxAttempts: 0 } }, "'retry.maxAttempts'"],
    ['a max delay below the base delay', { retry: { baseDelayMs: 100, maxDelayMs: 10 } }, "'retry.maxDelayMs'"],
    ['a concurrency of 0', { concurrency: 0 }, "'concurrency'"],
    ['a relative target URL', { target: { url: '/scim', token: 't' } }, "'target.url'"],
    ['a target without a token', { target: { url: 'http://x/scim' } }, "'target.token'"],
    [
      'basic auth without a password',
      { target: { url: 'http://x/scim', auth: 'basic', username: 'u' } },
      "'target.password'",
    ],
    ['an unknown deviation', { deviations: ['teleport'] }, "unknown deviation 'teleport'"],
    ['drop-attribute without a name', { deviations: ['drop-attribute'] }, 'drop-attribute=NAME'],
    ['a value for a deviation without one', { deviations: ['no-retry=yes'] }, "'no-retry' takes no value"],
    ['an unknown probe', { probe: 'ping' as never }, "'probe'"],
    ['the admin token equal to the API token', { apiToken: 'same-token', adminToken: 'same-token' }, "'adminToken'"],
    ['an empty API token', { apiToken: '' }, "'apiToken'"],
  ];
  it.each(cases)('refuses %s', (_label, options, named) => {
    expect(() => resolveOptions(options)).toThrow(named);
  });
});

describe('PINGONE_DEVIATIONS: the --help table', () => {
  it('describes every deviation in one line and marks the ones that take a value', () => {
    for (const [name, info] of Object.entries(PINGONE_DEVIATIONS)) {
      expect(name).toMatch(/^[a-z0-9-]+$/);
      expect(info.description).not.toContain('\n');
    }
    expect(PINGONE_DEVIATIONS['drop-attribute'].value).toBe('NAME');
  });
});

describe('deviations switched while the mock runs (the lab view)', () => {
  it('leaves a snapshot as it was when a deviation is switched, and refuses one read at start', () => {
    const deviations = parseDeviations(['no-retry']);
    const before = deviations.snapshot();
    deviations.set('no-lookup', true);
    deviations.set('no-retry', false);
    expect(deviations.list()).toEqual(['no-lookup']);
    expect([before.has('no-lookup'), before.has('no-retry')]).toEqual([false, true]);
    expect(() => deviations.set('no-group-limit', true)).toThrow(/read when the mock starts/);
    expect(() => before.set('no-lookup', false)).toThrow(/snapshot cannot be switched/);
    expect(deviations.list()).toEqual(['no-lookup']);
  });
});

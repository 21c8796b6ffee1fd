import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from '../lab';
import { BIN, cleanup, cli, ensureBuilt, finished, jsonLine, scratch, stop, type Code42Line } from './test-support';

// `scim-lab conformance` (docs/cli.md, §4) as a vendor runs it: the compiled CLI against a separately started
// server, with the exit code and the reports as the observable outcome.

beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => cleanup());

async function code42(...args: string[]) {
  const run = cli(['code42', '--port', '0', '--json', ...args]);
  const { code42: line } = await jsonLine<{ code42: Code42Line }>(run);
  return { run, ...line };
}

function targetArgs(c: Code42Line, admin = false): string[] {
  return [
    '--target',
    c.baseUrl,
    '--token',
    c.token,
    ...(admin ? ['--admin-url', c.adminUrl, '--admin-token', c.adminToken] : []),
  ];
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-lab-conformance-'));
  scratch.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scim-lab conformance --target (docs/cli.md)', () => {
  it('passes against a separately started scim-lab code42, with its admin surface, and exits 0', async () => {
    const c42 = await code42();
    const result = await finished(['conformance', ...targetArgs(c42, true), '--seed', '7'], { NO_COLOR: '1' });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
    expect(result.stdout).toMatch(/^✔ PASS +C42-DELETE-REFUSED /m);
    expect(result.stdout).toMatch(/^✔ PASS +C42-DEACTIVATE-AFTER-15-MIN /m);
    expect(result.stdout).toMatch(/PASSED \(exit 0/);
    expect(result.stdout + result.stderr).not.toContain(c42.token);
    // FLOW-GROUP-LIMIT has 50 requests in flight on one requirement's abort signal; Node must not call that a leak.
    expect(result.stderr).not.toContain('MaxListenersExceededWarning');
    await stop(c42.run);
  }, 120_000);

  it('leaves out the Code42-side checks for a server without /__admin, and says so', async () => {
    const c42 = await code42();
    const result = await finished(['conformance', ...targetArgs(c42), '--only', 'C42'], { NO_COLOR: '1' });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
    expect(result.stderr).toMatch(/not applicable to this target \(no admin\): .*C42-DEACTIVATE-BLOCKS/);
    expect(result.stdout).not.toMatch(/^. [A-Z]+ +C42-DEACTIVATE-BLOCKS/m);
    expect(result.stdout).toMatch(/^n\/a: .*C42-DEACTIVATE-BLOCKS.* \(no \/__admin of the target/m);
    expect(result.stdout).toMatch(/✔ PASS +C42-DELETE-REFUSED/);
  }, 120_000);

  it('exits 1 when a MUST fails, and the message names the source and what came back', async () => {
    const c42 = await code42('--deviation', 'allow-delete');
    const result = await finished(['conformance', ...targetArgs(c42), '--only', 'C42-DELETE-REFUSED'], {
      NO_COLOR: '1',
    });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 1$/);
    expect(result.stdout).toMatch(/✖ FAIL +C42-DELETE-REFUSED/);
    expect(result.stdout).toMatch(/C42-DELETE-REFUSED \(SEED-6\.1[^)]*\): DELETE \/Users\/\S+ answered 204/);
  }, 120_000);

  it('exits 0 when only a SHOULD warns', async () => {
    const c42 = await code42('--deviation', 'put-merges');
    const result = await finished(['conformance', ...targetArgs(c42), '--only', 'SCIM-PUT-REPLACE'], { NO_COLOR: '1' });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
    expect(result.stdout).toMatch(/! WARN +SCIM-PUT-REPLACE/);
  }, 120_000);

  it('exits 2 with what to fix when the target cannot be reached', async () => {
    const port = await freePort();
    const result = await finished([
      'conformance',
      '--target',
      `http://127.0.0.1:${port}/scim/v2`,
      '--token',
      'tttttttt',
    ]);
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(/cannot reach the target http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it.each([
    [
      ['--target', 'http://127.0.0.1:1/scim/v2'],
      /--target \(SCIM_LAB_TARGET_URL\) needs --token \(SCIM_LAB_TARGET_TOKEN\)/,
    ],
    [['--only', 'NO-SUCH-ID'], /NO-SUCH-ID/],
    [['--report', 'pdf=out.pdf'], /unknown format "pdf"/],
    [['--runtime', 'cloud'], /--runtime \(SCIM_LAB_RUNTIME\) must be embedded or containers/],
    [['--report', `html=${tmpdir()}`], /--report \(SCIM_LAB_REPORT\): html=\S+ is a directory; give a file path/],
  ])('exits 2 on the usage error %j', async (args, message) => {
    const result = await finished(['conformance', ...args]);
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(message);
  });
});

/** A server that is not a SCIM endpoint: it answers every request the same way. */
async function serving(status: number, contentType: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('scim-lab conformance --profile (issue 16 §3, docs/profiles.md)', () => {
  it('sends Entra ID and Okta traffic with --profile all, and leaves it out by default', async () => {
    const c42 = await code42();
    const json = join(tempDir(), 'profiles.json');
    const all = await finished(
      [
        'conformance',
        ...targetArgs(c42),
        '--profile',
        'all',
        '--only',
        'C42-ENTRA,C42-OKTA',
        '--report',
        `json=${json}`,
      ],
      {
        NO_COLOR: '1',
      },
    );
    expect(`${all.stdout}\n${all.stderr}\nexit ${all.code}`).toMatch(/exit 0$/);
    expect(all.stdout).toMatch(/^✔ PASS +C42-ENTRA-STRING-BOOLEAN-SAFE /m);
    expect(all.stdout).toMatch(/^✔ PASS +C42-OKTA-DEACTIVATE-PATHLESS /m);
    // The JSON report names the profile of each profile check (docs/reports.md).
    const report = JSON.parse(readFileSync(json, 'utf8')) as { requirements: { id: string; profile?: string }[] };
    expect(report.requirements.map((r) => [r.id, r.profile])).toEqual([
      ['C42-ENTRA-EXTERNALID-LOOKUP', 'entra'],
      ['C42-ENTRA-STRING-BOOLEAN-SAFE', 'entra'],
      ['C42-ENTRA-STRING-BOOLEAN-ACCEPTED', 'entra'],
      ['C42-OKTA-DEACTIVATE-PATHLESS', 'okta'],
    ]);
    const byDefault = await finished([
      'conformance',
      ...targetArgs(c42),
      '--only',
      'C42-ENTRA,C42-OKTA,C42-DELETE-REFUSED',
    ]);
    expect(byDefault.stdout).not.toMatch(/C42-(ENTRA|OKTA)-/);
    expect(byDefault.stdout).toMatch(/C42-DELETE-REFUSED/);
    await stop(c42.run);
  }, 120_000);

  it('fails Entra\'s string booleans against a server that reads "False" as true, naming what came back', async () => {
    const c42 = await code42('--deviation', 'string-booleans-truthy');
    const result = await finished(['conformance', ...targetArgs(c42), '--profile', 'entra', '--only', 'C42-ENTRA'], {
      NO_COLOR: '1',
    });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 1$/);
    expect(result.stdout).toMatch(/✖ FAIL +C42-ENTRA-STRING-BOOLEAN-SAFE /);
    expect(result.stdout).toMatch(/active after PATCH active "False"/);
    await stop(c42.run);
  }, 120_000);

  it('refuses an unknown profile in one line, exit 2', async () => {
    const result = await finished(['conformance', '--profile', 'onelogin']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      "scim-lab conformance: --profile (SCIM_LAB_PROFILE) must be one of pingone, entra, okta or all, got 'onelogin'. Run 'scim-lab conformance --help'.",
    ]);
  });
});

describe('scim-lab conformance --driver-profile (issue 16 §3, docs/profiles.md)', () => {
  /** A separately started mock PingOne whose provisioner plays `profile`, steered by the default driver. */
  async function pingOnePlaying(profile: string) {
    // Seeded (--target) as the default driver needs; each step points the store at that step's mock Code42.
    const seed = ['--target', 'http://127.0.0.1:9/scim/v2', '--token', 'replaced-by-each-step'];
    const run = cli(['pingone', '--port', '0', '--profile', profile, ...seed, '--json']);
    const { pingone } = await jsonLine<{ pingone: Record<string, string> }>(run);
    const env = {
      SCIM_LAB_PINGONE_API_URL: pingone.apiUrl,
      SCIM_LAB_PINGONE_API_TOKEN: pingone.apiToken,
      SCIM_LAB_PINGONE_ENVIRONMENT_ID: pingone.environmentId,
      SCIM_LAB_PINGONE_ADMIN_URL: pingone.adminUrl,
      SCIM_LAB_PINGONE_ADMIN_TOKEN: pingone.adminToken,
      NO_COLOR: '1',
    };
    return { run, env, driver: `"${process.execPath}" "${join(BIN, '..', 'scim-lab-default-driver.js')}"` };
  }

  it("holds a provisioner that plays Entra ID to PingOne's rules when it is judged as PingOne, naming the rule", async () => {
    const p1 = await pingOnePlaying('entra');
    const only = ['--only', 'P1-UPDATE-PUT,P1-LOOKUP-FILTER'];
    const asPingOne = await finished(
      ['conformance', '--idp-driver', p1.driver, '--driver-profile', 'pingone', ...only],
      p1.env,
    );
    expect(`${asPingOne.stdout}\nexit ${asPingOne.code}`).toMatch(/exit 1$/);
    expect(asPingOne.stdout).toMatch(/✖ FAIL +P1-UPDATE-PUT /);
    expect(asPingOne.stdout).toContain(
      "expected PUT: the store's update method is PUT (the pingone profile's update method rule [PING-SCIM-LIMITS]: the store's UPDATE_METHOD)",
    );
    expect(asPingOne.stdout).toContain("the pingone profile's lookup filter rule [PING-SCIM-FILTER]");
    const asEntra = await finished(
      ['conformance', '--idp-driver', p1.driver, '--driver-profile', 'entra', ...only],
      p1.env,
    );
    expect(`${asEntra.stdout}\n${asEntra.stderr}\nexit ${asEntra.code}`).toMatch(/exit 0$/);
    await stop(p1.run);
  }, 120_000);

  it('records the judged profile in the JSON report and leaves out what the profile does not have', async () => {
    const json = join(tempDir(), 'driver-profile.json');
    const result = await finished(
      [
        'conformance',
        '--driver-profile',
        'okta',
        '--only',
        'P1-AUTH-BEARER,P1-REMOVE-DELETE',
        '--report',
        `json=${json}`,
      ],
      { NO_COLOR: '1' },
    );
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      provisioner: { profile?: string };
      requirements: { id: string }[];
      notApplicable?: { id: string; reason: string }[];
    };
    expect(report.provisioner.profile).toBe('okta');
    expect(report.requirements.map((r) => r.id)).toEqual(['P1-AUTH-BEARER']);
    expect(report.notApplicable).toEqual([
      {
        id: 'P1-REMOVE-DELETE',
        level: 'MUST',
        reason:
          "the okta profile's deprovision rule [OKTA-SCIM-20; C42-OKTA-PROVISIONING]: the okta profile deprovisions with Disable and has no Remove Action Delete",
      },
    ]);
  }, 120_000);

  it('refuses an unknown profile, and a run without the provisioner suite, in one line, exit 2', async () => {
    const unknown = await finished(['conformance', '--driver-profile', 'all']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      "scim-lab conformance: --driver-profile (SCIM_LAB_DRIVER_PROFILE) must be one of pingone, entra, okta, got 'all'. Run 'scim-lab conformance --help'.",
    ]);
    const targetOnly = await finished([
      'conformance',
      '--target',
      'http://127.0.0.1:9/scim/v2',
      '--token',
      'tttttttt',
      '--driver-profile',
      'entra',
    ]);
    expect(targetOnly.code).toBe(2);
    expect(targetOnly.stderr.trim().split('\n')).toEqual([
      'scim-lab conformance: --driver-profile (SCIM_LAB_DRIVER_PROFILE) judges the provisioner suite, which a run with --target alone does not include; add --idp-driver "CMD". Run \'scim-lab conformance --help\'.',
    ]);
  });
});

describe('the preflight before any requirement (issue 13 §4)', () => {
  it('stops with exit 2 and one paragraph naming the flag when the target refuses the token', async () => {
    const c42 = await code42();
    const result = await finished(['conformance', '--target', c42.baseUrl, '--token', 'wrong-token-123'], {
      NO_COLOR: '1',
    });
    expect(`${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(
      /preflight: the target answered 401 to the token given with --token \(SCIM_LAB_TARGET_TOKEN\): GET \S+\/ServiceProviderConfig said .*\. No requirement ran\./,
    );
    expect(result.stdout).not.toMatch(/PASS|FAIL|WARN|ERROR/);
    expect(result.stderr).not.toContain('wrong-token-123');
  });

  it('stops with exit 2 when the target answers a web page, and says so', async () => {
    const page = await serving(200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Sign in</body></html>');
    const result = await finished(['conformance', '--target', page.url, '--token', 'tttttttt']);
    expect(`${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(/with text\/html; charset=utf-8 "<!DOCTYPE html>.*not a SCIM JSON document/);
    expect(result.stderr).toMatch(/looks like a web page or a login portal/);
  });

  it('stops with exit 2 when /ServiceProviderConfig is not found: not a SCIM base URL', async () => {
    const missing = await serving(404, 'text/plain', 'Not Found');
    const result = await finished(['conformance', '--target', missing.url, '--token', 'tttttttt']);
    expect(`${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(
      /answered 404 to GET \S+\/ServiceProviderConfig: --target \(SCIM_LAB_TARGET_URL\) is not a SCIM 2\.0 base URL/,
    );
  });

  it('still writes the requested JSON report, which says why the run stopped', async () => {
    const missing = await serving(404, 'text/plain', 'Not Found');
    const path = join(tempDir(), 'r.json');
    const result = await finished([
      'conformance',
      '--target',
      missing.url,
      '--token',
      'tttttttt',
      '--report',
      `json=${path}`,
    ]);
    expect(result.code).toBe(2);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json.requirements).toEqual([]);
    expect(json.stopped).toMatch(/^preflight: the target answered 404/);
  });
});

describe('scim-lab conformance against an https target (issue 13 §4: --ca, --insecure)', () => {
  async function tlsCode42() {
    const dir = tempDir();
    const pem = await selfSignedCertificate('127.0.0.1');
    writeFileSync(join(dir, 'cert.pem'), pem.cert);
    writeFileSync(join(dir, 'key.pem'), pem.key);
    const c42 = await code42('--tls', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem'));
    return { ...c42, ca: join(dir, 'cert.pem') };
  }

  it('stops at the preflight when the certificate is not trusted, and says to give --ca or --insecure', async () => {
    const c42 = await tlsCode42();
    const result = await finished(['conformance', ...targetArgs(c42)]);
    expect(`${result.stderr}\nexit ${result.code}`).toMatch(/exit 2$/);
    expect(result.stderr).toMatch(
      /preflight: cannot reach the target https:\/\/127\.0\.0\.1:\d+ \(\w+\): its TLS certificate was not accepted; give the CA that signed it with --ca FILE \(SCIM_LAB_CA_FILE\), or --insecure/,
    );
  }, 120_000);

  it('trusts the CA given with --ca, for its own requests and for the flow through the mock PingOne', async () => {
    const c42 = await tlsCode42();
    const result = await finished(
      ['conformance', ...targetArgs(c42), '--ca', c42.ca, '--only', 'C42-DELETE-REFUSED,FLOW-CREATE'],
      { NO_COLOR: '1' },
    );
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
    expect(result.stdout).toMatch(/✔ PASS +FLOW-CREATE/);
  }, 120_000);

  it('accepts any certificate with --insecure', async () => {
    const c42 = await tlsCode42();
    const result = await finished(['conformance', ...targetArgs(c42), '--insecure', '--only', 'C42-DELETE-REFUSED'], {
      NO_COLOR: '1',
    });
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 0$/);
  }, 120_000);

  it('refuses --ca with a file that holds no certificate, naming the flag and its variable', async () => {
    const path = join(tempDir(), 'not-a-cert.pem');
    writeFileSync(path, 'hello');
    const result = await finished([
      'conformance',
      '--target',
      'https://127.0.0.1:1/scim/v2',
      '--token',
      'tttttttt',
      '--ca',
      path,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--ca \(SCIM_LAB_CA_FILE\): \S+not-a-cert\.pem holds no PEM certificate/);
  });
});

describe('scim-lab conformance usage (issue 13 §7)', () => {
  it('warns that a token shorter than 8 characters is redacted only where it stands whole', async () => {
    const missing = await serving(404, 'text/plain', 'Not Found');
    const result = await finished(['conformance', '--target', missing.url, '--token', 'abc']);
    expect(result.stderr).toMatch(/warning: the --token \(SCIM_LAB_TARGET_TOKEN\) is shorter than 8 characters/);
  });

  it('names the variable when a bad value came from the environment, in one line without a stack trace', async () => {
    const result = await finished(['conformance'], { SCIM_LAB_REPORT: 'pdf=out.pdf' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      `scim-lab conformance: --report (SCIM_LAB_REPORT): unknown format "pdf" in "pdf=out.pdf"; use junit, json, html, har. Run 'scim-lab conformance --help'.`,
    ]);
  });

  it('says how to ask for a report when none was asked for', async () => {
    const c42 = await code42();
    const result = await finished(['conformance', ...targetArgs(c42), '--only', 'C42-DELETE-REFUSED']);
    expect(result.stderr).toMatch(/no report written; ask for one with --report json=PATH/);
  }, 120_000);
});

describe('scim-lab conformance --report (docs/reports.md)', () => {
  it('writes JUnit, JSON, HTML and HAR reports from repeated --report flags, none of which holds a token', async () => {
    const c42 = await code42('--deviation', 'no-location');
    const dir = tempDir();
    const paths = {
      junit: join(dir, 'junit.xml'),
      json: join(dir, 'r.json'),
      html: join(dir, 'r.html'),
      har: join(dir, 'r.har'),
    };
    // Given as two --report flags: the formats add up (issue 13 §7).
    const spec = (formats: string[]) => formats.map((k) => `${k}=${paths[k as keyof typeof paths]}`).join(',');
    const result = await finished([
      'conformance',
      ...targetArgs(c42, true),
      '--only',
      'SCIM-CREATE,SCIM-PUT-REPLACE',
      '--report',
      spec(['junit', 'json']),
      '--report',
      spec(['html', 'har']),
    ]);
    expect(`${result.stdout}\n${result.stderr}\nexit ${result.code}`).toMatch(/exit 1$/);

    const json = JSON.parse(readFileSync(paths.json, 'utf8'));
    expect(json).toMatchObject({ reportVersion: 1, tool: { name: 'scim-lab' }, target: { baseUrl: c42.baseUrl } });
    const failed = json.requirements.find((r: { id: string }) => r.id === 'SCIM-CREATE-LOCATION');
    expect(failed).toMatchObject({ level: 'MUST', status: 'failed', source: expect.stringContaining('RFC7644-3.3') });
    expect(failed.evidence[0].request.method).toBe('POST');
    expect(failed.evidence[0].response.status).toBe(201);
    expect(json.summary.MUST.failed).toBeGreaterThanOrEqual(1);

    const junit = readFileSync(paths.junit, 'utf8');
    expect(junit).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    expect(junit).toMatch(/<testcase [^>]*name="SCIM-CREATE-LOCATION[^"]*"[^>]*>\s*<failure /);

    const har = JSON.parse(readFileSync(paths.har, 'utf8'));
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(0);

    const html = readFileSync(paths.html, 'utf8');
    expect(html).toContain('<svg id="sequence-diagram"');
    expect(html).toContain('SCIM-CREATE-LOCATION');

    for (const path of Object.values(paths)) {
      expect(result.stderr).toContain(`conformance: wrote ${path}`);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(c42.token);
      expect(text).not.toContain(c42.adminToken);
    }
  }, 120_000);
});

import { createCode42 } from './index';
import { lab, user } from './test-support';

// createCode42's `journal` and `journalMaxBytes` options (docs/admin-api.md "Journal"): SCIM requests in,
// GET /__admin/journal out.

async function mixedExchanges(scim: ReturnType<typeof lab>['scim']): Promise<void> {
  await scim.post('/Users', user('bjensen@example.com')).expect(201);
  await scim.post('/Users', user('bjensen@example.com')).expect(409);
  await scim.get('/Users/no-such-user').expect(404);
  await scim.get('/Users').expect(200);
}

describe('createCode42 journal options', () => {
  it("with journal: 'errors', the journal lists only the exchanges answered 400 or above", async () => {
    const { scim, admin } = lab({ journal: 'errors' });
    await mixedExchanges(scim);
    const { body } = await admin.get('/journal').expect(200);
    expect(body.entries.map((e: { status: number }) => e.status)).toEqual([409, 404]);
    expect((await admin.get('/journal.har').expect(200)).body.log.entries).toHaveLength(2);
  });

  it("with journal: 'off', the journal and its HAR export stay empty", async () => {
    const { scim, admin } = lab({ journal: 'off' });
    await mixedExchanges(scim);
    expect((await admin.get('/journal').expect(200)).body).toEqual({ entries: [], dropped: 0 });
    expect((await admin.get('/journal.har').expect(200)).body.log.entries).toEqual([]);
  });

  it('with journalMaxBytes, keeps the newest exchanges within that many bytes and counts the dropped ones', async () => {
    const { scim, admin } = lab({ journalMaxBytes: 6000 });
    for (let i = 0; i < 10; i++) await scim.post('/Users', user(`user${i}@example.com`)).expect(201);
    const { body } = await admin.get('/journal').expect(200);
    expect(body.entries.length).toBeGreaterThan(0);
    expect(body.entries.length).toBeLessThan(10);
    expect(body.dropped).toBe(10 - body.entries.length);
    expect(body.entries.at(-1).request.body.userName).toBe('user9@example.com');
  });

  it.each([
    [{ journal: 'some' }, /option 'journal' must be one of all, errors, off/],
    [{ journalMaxBytes: 0 }, /option 'journalMaxBytes'/],
  ])('refuses %j, naming the option', (options, message) => {
    expect(() => createCode42(options as never)).toThrow(message);
  });
});

import { createJournal } from './journal';
import { REDACTED, Redactor } from './redact';

const LONG = 'tok-0123456789abcdef';

describe('one redactor: credentials and long secrets', () => {
  it('hides credential headers whatever they hold, and long secrets everywhere, longest first', () => {
    const r = new Redactor([LONG, `${LONG}-xyz`, undefined, '']);
    expect(r.headers({ Authorization: 'Basic x', Cookie: 'c', 'X-Other': `${LONG}-xyz/${LONG}` })).toEqual({
      Authorization: REDACTED,
      Cookie: REDACTED,
      'X-Other': `${REDACTED}/${REDACTED}`,
    });
    expect(r.value({ [LONG]: [`x ${LONG}`, 1, null, { k: LONG }] })).toEqual({
      [REDACTED]: [`x ${REDACTED}`, 1, null, { k: REDACTED }],
    });
  });

  it('hides the URL-encoded form of a long secret too', () => {
    const secret = 'a+b/c=0123456789';
    expect(new Redactor([secret]).text(`q=${encodeURIComponent(secret)}`)).toBe(`q=${REDACTED}`);
  });

  it('hides values under credential keys in JSON, queries and forms, whatever their length', () => {
    const r = new Redactor();
    expect(r.value({ user: { Pass_Word: 'x', name: 'x' }, client_secret: 's' })).toEqual({
      user: { Pass_Word: REDACTED, name: 'x' },
      client_secret: REDACTED,
    });
    expect(r.url('http://h/cb?access_token=abc&state=1')).toBe(`http://h/cb?access_token=${REDACTED}&state=1`);
    expect(r.form('grant_type=client_credentials&client_secret=s3')).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}`,
    );
  });
});

describe('issue 13 §7 a token shorter than 8 characters is hidden only where it stands whole', () => {
  const r = new Redactor(['a']);

  it('hides it as a whole header value, or as the credential after an auth scheme', () => {
    expect(r.headers({ 'X-Token': 'a', 'X-Auth': 'Token a', 'Content-Type': 'application/scim+json' })).toEqual({
      'X-Token': REDACTED,
      'X-Auth': `Token ${REDACTED}`,
      'Content-Type': 'application/scim+json',
    });
  });

  it('hides it as a query value, and leaves the rest of the URL readable', () => {
    expect(r.url('http://127.0.0.1:4242/scim/v2/Users?key=a&attributes=name')).toBe(
      `http://127.0.0.1:4242/scim/v2/Users?key=${REDACTED}&attributes=name`,
    );
  });

  it('hides it as a JSON string value, never inside a longer string', () => {
    expect(r.value({ token: 'a', note: 'a', userName: 'alice a', schemas: ['a'] })).toEqual({
      token: REDACTED,
      note: REDACTED,
      userName: 'alice a',
      schemas: [REDACTED],
    });
  });

  it('leaves free text alone: a message keeps every letter a', () => {
    expect(r.text('GET /Users answered a 401; expected 200')).toBe('GET /Users answered a 401; expected 200');
  });

  it('applies the same rule in a mock journal', () => {
    const journal = createJournal({ redact: ['a'] });
    journal.record({
      time: '2025-01-01T00:00:00.000Z',
      direction: 'inbound',
      method: 'POST',
      url: 'http://127.0.0.1/scim/v2/Users?k=a',
      status: 201,
      durationMs: 1,
      request: { headers: { 'content-type': 'application/json' }, body: '{"userName":"alice","nick":"a"}' },
      response: { headers: {}, body: undefined },
    });
    const [entry] = journal.list();
    expect(entry.url).toBe(`http://127.0.0.1/scim/v2/Users?k=${REDACTED}`);
    expect(entry.request.body).toEqual({ userName: 'alice', nick: REDACTED });
  });
});

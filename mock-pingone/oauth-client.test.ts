import { readTokenReply, tokenRequest } from './oauth-client';

// RFC 6749 §4.4.2 token requests and §5.1/§5.2 answers, as the provisioner builds and reads them.

const credentials = { tokenUrl: 'http://127.0.0.1:9/oauth/token', clientId: 'id:1', clientSecret: 's é' };

describe('RFC 6749 §4.4.2 the token request', () => {
  it('authenticates with Basic of the form-encoded id and secret by default (§2.3.1)', () => {
    const req = tokenRequest({ ...credentials, clientAuth: 'client_secret_basic' });
    expect(req.body).toBe('grant_type=client_credentials');
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    const decoded = Buffer.from(req.headers.Authorization.replace('Basic ', ''), 'base64').toString();
    expect(decoded).toBe('id%3A1:s+%C3%A9');
  });

  it('puts client_id and client_secret in the body for client_secret_post, with no Authorization', () => {
    const req = tokenRequest({ ...credentials, clientAuth: 'client_secret_post' });
    expect(new URLSearchParams(req.body).get('client_secret')).toBe('s é');
    expect(req.headers.Authorization).toBeUndefined();
  });
});

describe('RFC 6749 §5.1 and §5.2 the answers', () => {
  const cases: [string, { status: number; body: unknown; error?: string }, unknown][] = [
    [
      'a Bearer token with its lifetime',
      { status: 200, body: { access_token: 't', token_type: 'bearer', expires_in: 60 } },
      { token: 't', expiresInMs: 60_000 },
    ],
    ['a token without a lifetime', { status: 200, body: { access_token: 't', token_type: 'Bearer' } }, { token: 't' }],
    [
      'a §5.2 error, named',
      { status: 401, body: { error: 'invalid_client', error_description: 'bad secret' } },
      { detail: 'the token endpoint answered HTTP 401 invalid_client: bad secret' },
    ],
    [
      'a token type that is not Bearer',
      { status: 200, body: { access_token: 't', token_type: 'mac' } },
      { detail: 'the token endpoint issued a token_type "mac", not Bearer' },
    ],
    [
      'no answer',
      { status: 0, body: undefined, error: 'ECONNREFUSED' },
      { detail: 'the token endpoint could not be reached: ECONNREFUSED' },
    ],
  ];
  it.each(cases)('reads %s', (_label, reply, expected) => {
    expect(readTokenReply(reply)).toEqual(expected);
  });
});

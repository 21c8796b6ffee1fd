import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import { verifyUtf8 } from '../scim/http';

// How the mock PingOne reads request bodies, for the routes of its surfaces (lab/http-core.ts `readBody`). body-parser
// does the reading; its errors (entity.parse.failed, entity.too.large, charset.unsupported, …) reach the surfaces'
// error renderer as they are, which answers them in PingOne's error shape (errors.ts).

type Parser = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** A body-parser middleware as a body reader: the parsed body, or undefined when the parser skipped the request. */
function readerOf(parse: Parser) {
  return (req: IncomingMessage, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve, reject) =>
      parse(req, res, (err?: unknown) => (err === undefined ? resolve((req as { body?: unknown }).body) : reject(err))),
    );
}

/**
 * The management API's JSON bodies: `application/json` or any `application/*+json`, 1mb at most; bytes that are not
 * UTF-8 are refused, not replaced. Another Content-Type reads as no body, which the handlers refuse as not JSON.
 */
export const readJson = readerOf(
  bodyParser.json({ type: ['application/json', 'application/*+json'], limit: '1mb', verify: verifyUtf8 }),
);

/** The token endpoint's form (RFC 6749 §4.4.2), 16kb at most; another Content-Type reads as no form. */
export const readForm = readerOf(bodyParser.urlencoded({ extended: false, limit: '16kb' }));

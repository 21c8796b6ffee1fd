import { URN } from './urns';

/** RFC 7644 §3.12 scimType values. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** The RFC 7644 §3.12 Error body. `status` is a string on the wire. */
export interface ScimErrorBody {
  schemas: [typeof URN.Error];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/**
 * The one SCIM error type. Construct it through `scimErrors` so that status and
 * scimType pairs stay legal (RFC 7644 §3.12, Table 9).
 */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType?: ScimType;
  readonly headers: Record<string, string>;

  constructor(status: number, scimType: ScimType | undefined, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.headers = headers;
  }

  get detail(): string {
    return this.message;
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [URN.Error], status: String(this.status), detail: this.message };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

/** The catalogue. Each constructor fixes the status that RFC 7644 §3.12 pairs with its scimType. */
export const scimErrors = {
  // 400 with a scimType (RFC 7644 §3.12, Table 9)
  invalidFilter: (detail: string) => new ScimError(400, 'invalidFilter', detail),
  tooMany: (detail: string) => new ScimError(400, 'tooMany', detail),
  mutability: (detail: string) => new ScimError(400, 'mutability', detail),
  invalidSyntax: (detail: string) => new ScimError(400, 'invalidSyntax', detail),
  invalidPath: (detail: string) => new ScimError(400, 'invalidPath', detail),
  noTarget: (detail: string) => new ScimError(400, 'noTarget', detail),
  invalidValue: (detail: string) => new ScimError(400, 'invalidValue', detail),
  invalidVers: (detail: string) => new ScimError(400, 'invalidVers', detail),
  // 409 uniqueness, 403 sensitive (Table 9)
  uniqueness: (detail: string) => new ScimError(409, 'uniqueness', detail),
  sensitive: (detail: string) => new ScimError(403, 'sensitive', detail),
  // Statuses without a scimType (RFC 7644 §3.12, Table 8)
  badRequest: (detail: string) => new ScimError(400, undefined, detail),
  unauthorized: (detail: string, realm = 'scim') =>
    new ScimError(401, undefined, detail, { 'WWW-Authenticate': `Bearer realm="${realm}"` }),
  forbidden: (detail: string) => new ScimError(403, undefined, detail),
  notFound: (detail: string) => new ScimError(404, undefined, detail),
  methodNotAllowed: (detail: string, allow?: string) =>
    new ScimError(405, undefined, detail, allow ? { Allow: allow } : {}),
  conflict: (detail: string) => new ScimError(409, undefined, detail),
  preconditionFailed: (detail: string) => new ScimError(412, undefined, detail),
  payloadTooLarge: (detail: string) => new ScimError(413, undefined, detail),
  unsupportedMediaType: (detail: string) => new ScimError(415, undefined, detail),
  tooManyRequests: (detail: string, retryAfterSeconds?: number) =>
    new ScimError(
      429,
      undefined,
      detail,
      retryAfterSeconds !== undefined ? { 'Retry-After': String(retryAfterSeconds) } : {},
    ),
  internal: (detail: string) => new ScimError(500, undefined, detail),
  notImplemented: (detail: string) => new ScimError(501, undefined, detail),
  /** A refusal with a configured status (e.g. Code42's user deletion refusal: 400, 403, 405 or 501). */
  refused: (status: 400 | 403 | 405 | 501, detail: string, allow?: string) =>
    new ScimError(status, undefined, detail, status === 405 && allow ? { Allow: allow } : {}),
} as const;

export function isScimError(err: unknown): err is ScimError {
  return err instanceof ScimError;
}

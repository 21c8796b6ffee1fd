// The run's exchange log (for HAR and the sequence diagram) and the per-requirement recorder that feeds it.
import type { Redactor } from '../../lab/redact';
import type { Exchange, ExchangeInput, RecordedRequest, RecordedResponse, Recorder } from './types';

/** Bodies longer than this are cut in the record (the check itself still sees the whole body). */
export const MAX_RECORDED_BODY_CHARS = 200_000;

export interface ExchangeLog {
  /** Numbers and stores an exchange that has already been redacted. */
  append(exchange: Omit<Exchange, 'seq'>): Exchange;
  /** Oldest first. */
  list(): Exchange[];
  /** How many of the oldest exchanges were dropped to respect the cap. */
  dropped(): number;
}

/** A capped log: the oldest exchanges are dropped first (the mocks' journals follow the same rule, docs/admin-api.md). */
export function createExchangeLog(options: { limit?: number } = {}): ExchangeLog {
  const limit = options.limit ?? 20_000;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`createExchangeLog: limit must be a positive integer, got ${limit}`);
  const entries: Exchange[] = [];
  let seq = 0;
  let dropped = 0;
  return {
    append(exchange) {
      seq += 1;
      const numbered: Exchange = { seq, ...exchange };
      entries.push(numbered);
      if (entries.length > limit) {
        entries.shift();
        dropped += 1;
      }
      return numbered;
    },
    list: () => [...entries],
    dropped: () => dropped,
  };
}

function cut(message: RecordedRequest | RecordedResponse): void {
  if (message.text !== undefined && message.text.length > MAX_RECORDED_BODY_CHARS) {
    const extra = message.text.length - MAX_RECORDED_BODY_CHARS;
    message.text = `${message.text.slice(0, MAX_RECORDED_BODY_CHARS)}…[${extra} more characters not recorded]`;
    message.body = message.text;
  }
}

/**
 * A body's text. When it parsed to JSON and could hold something to hide (a secret as a whole string value, a secret
 * key), it is the redacted body written out again, so the text hides what the body hides; otherwise free text.
 */
function redactText(redactor: Redactor, text: string, redactedBody: unknown): string {
  if (redactedBody !== undefined && typeof redactedBody !== 'string' && redactor.mayChangeJson(text)) {
    return JSON.stringify(redactedBody) ?? redactor.text(text);
  }
  return redactor.text(text);
}

/** A recorder for one requirement: redacts, tags with the requirement id, and appends to the run log. */
export function createRecorder(log: ExchangeLog, redactor: Redactor, requirementId?: string): Recorder {
  const mine: Exchange[] = [];
  return {
    record(input: ExchangeInput): Exchange {
      const request: RecordedRequest = {
        method: input.request.method,
        url: redactor.url(input.request.url),
        headers: redactor.headers(input.request.headers),
      };
      if (input.request.body !== undefined) request.body = redactor.value(input.request.body);
      if (input.request.text !== undefined) request.text = redactText(redactor, input.request.text, request.body);
      cut(request);
      let response: RecordedResponse | undefined;
      if (input.response) {
        response = { status: input.response.status, headers: redactor.headers(input.response.headers) };
        if (input.response.statusText) response.statusText = input.response.statusText;
        if (input.response.body !== undefined) response.body = redactor.value(input.response.body);
        if (input.response.text !== undefined) response.text = redactText(redactor, input.response.text, response.body);
        cut(response);
      }
      const exchange = log.append({
        ...(requirementId === undefined ? {} : { requirementId }),
        from: input.from,
        to: input.to,
        startedAt: input.startedAt,
        durationMs: input.durationMs,
        request,
        ...(response ? { response } : {}),
        ...(input.error === undefined ? {} : { error: redactor.text(input.error) }),
      });
      mine.push(exchange);
      return exchange;
    },
    list: () => [...mine],
    addSecret: (secret) => redactor.add(secret),
  };
}

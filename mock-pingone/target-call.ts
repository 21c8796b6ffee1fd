import { describeFailure, targetDetail } from './failures';
import type { Connection, RetriedResponse, ScimRequest } from './outbound-client';
import type { OutboundClient } from './types';

// One call of a sync to the target, with the retries of the outbound client, shared by user and group syncs: a
// failure that is not the target's answer to this request (network, TLS, 401/403, exhausted retries) stops the sync
// and marks the rule's connection as failing (PING-SYNC-STATUS).

/** Ends a sync with this outcome. */
export class Stop<O> extends Error {
  constructor(readonly outcome: O) {
    super((outcome as { details?: string }).details ?? 'stopped');
  }
}

export const isOk = (status: number) => status >= 200 && status < 300;

/** What a sync taught about the connection, summed over its calls. */
export class TargetCalls {
  attempts = 0;
  connectionError?: string;
  reachedTarget = false;

  constructor(
    private readonly client: OutboundClient,
    private readonly connection: Connection,
    private readonly signal: AbortSignal,
    /** The outcome a connection-level failure ends the sync with. */
    private readonly failed: (details: string) => Error,
  ) {}

  /** Sends with retries; a failure that is not the target's answer to this request throws `failed`. */
  async call(request: ScimRequest, what: string): Promise<RetriedResponse> {
    const response = await this.client.sendWithRetry(this.connection, request, this.signal);
    this.attempts += response.attempts;
    const url = this.connection.baseUrl + request.path;
    const status = response.status;
    const connectionLevel =
      status === 0 || status === 401 || status === 403 || ((status === 429 || status >= 500) && status !== 501);
    if (status !== 0) this.reachedTarget = true;
    if (connectionLevel && !isOk(status)) {
      const failure = describeFailure(response, url);
      const tries = response.attempts > 1 ? ` (after ${response.attempts} attempts)` : '';
      const gaveUp = response.gaveUp ? ` Stopped retrying: ${response.gaveUp}.` : '';
      this.connectionError = `${failure.message}${tries}${gaveUp}`;
      throw this.failed(`${what} failed: ${this.connectionError}`);
    }
    return response;
  }
}

/** "<what> was refused by the target (HTTP 400): <the target's detail>". */
export function refusal(what: string, response: RetriedResponse): string {
  const detail = targetDetail(response);
  return `${what} was refused by the target (HTTP ${response.status})${detail ? `: ${detail}` : ''}`;
}

// Evidence that proves each verdict (issue 13 §5): the JSON report keeps every exchange of a requirement, not only the
// ones a failing check named, so that the POST before a failing GET is there too. A requirement that made very many
// requests keeps a capped number, and says how many were left out (the HAR report has them all).
import type { Evidence, Exchange } from './types';

/** Exchanges kept per requirement in the JSON report. */
export const MAX_EVIDENCE_PER_REQUIREMENT = 50;

export function toEvidence(e: Exchange, proves = false): Evidence {
  return {
    seq: e.seq,
    from: e.from,
    to: e.to,
    request: {
      method: e.request.method,
      url: e.request.url,
      headers: e.request.headers,
      ...(e.request.body === undefined ? {} : { body: e.request.body }),
    },
    ...(e.response
      ? {
          response: {
            status: e.response.status,
            headers: e.response.headers,
            ...(e.response.body === undefined ? {} : { body: e.response.body }),
          },
        }
      : {}),
    ...(e.error === undefined ? {} : { error: e.error }),
    ...(proves ? { proves: true as const } : {}),
  };
}

/**
 * The evidence of one requirement: all its exchanges in time order (then run order), those in `proving` marked
 * `proves`. Beyond `max`, the proving exchanges are all kept and the others nearest the end (closest to the verdict)
 * fill the rest; `leftOut` counts the others.
 */
export function selectEvidence(
  all: readonly Exchange[],
  proving: readonly Exchange[],
  max = MAX_EVIDENCE_PER_REQUIREMENT,
): { evidence: Evidence[]; leftOut: number } {
  const provingSeqs = new Set(proving.map((e) => e.seq));
  // A check may name an exchange recorded elsewhere (another recorder): it is evidence all the same.
  const merged = [...all, ...proving.filter((p) => !all.some((e) => e.seq === p.seq))];
  const ordered = inTimeOrder(merged);
  let kept = ordered;
  if (ordered.length > max) {
    const room = Math.max(max - provingSeqs.size, 0);
    const others = ordered.filter((e) => !provingSeqs.has(e.seq));
    const keptOthers = new Set(others.slice(others.length - room).map((e) => e.seq));
    kept = ordered.filter((e) => provingSeqs.has(e.seq) || keptOthers.has(e.seq));
  }
  return {
    evidence: kept.map((e) => toEvidence(e, provingSeqs.has(e.seq))),
    leftOut: ordered.length - kept.length,
  };
}

/**
 * Exchanges by start time, then by run order. Exchanges another party recorded (the mock PingOne's outbound journal,
 * read when a requirement ends) are appended late but belong where they happened.
 */
export function inTimeOrder<E extends Pick<Exchange, 'seq' | 'startedAt'>>(exchanges: readonly E[]): E[] {
  const time = (e: E) => {
    const t = Date.parse(e.startedAt);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  return [...exchanges].sort((a, b) => time(a) - time(b) || a.seq - b.seq);
}

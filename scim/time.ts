/**
 * `now` as an ISO 8601 string, rebuilt only when the millisecond changes. Users written in the same millisecond then
 * share one string (100,000 imported users otherwise held 100,000 equal timestamps), and a write does not format the
 * same date twice.
 */
export function isoClock(now: () => Date): () => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return () => {
    const date = now();
    const ms = date.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      lastText = date.toISOString();
    }
    return lastText;
  };
}

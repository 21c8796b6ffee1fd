// `scim-lab scenario from capture.har`: a scenario drafted from a capture. Each SCIM exchange becomes a `scim` step
// that sends the recorded request and expects the recorded answer: its status, its scimType, and its body with the
// volatile fields left out (id, meta, timestamps: lab/replay-compare.ts). Ids the recorded server assigned become
// `{{userN}}` names, learned from the answers in order as a replay learns them (lab/replay-map.ts), so the draft runs
// against any server. The engineer then edits it: adds PingOne steps, keeps the expectations that matter.
import type { HarCapture, RecordedExchange } from './har-read';
import { DEFAULT_MASKS, masked, parsedBody, scimTypeOf } from './replay-compare';
import { idOfLocation, idsOf, Rewrites } from './replay-map';
import { scimPathOf } from './replay';
import type { Scenario, Step } from './scenario';

type Json = Record<string, unknown>;

const DATE_TIME_MASK = '<dateTime>';
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The expected body: the recorded answer without what changes per run, and without an Error's free-text detail. */
function expectedBody(body: unknown): unknown {
  const isError = scimTypeOf(body) !== undefined || (body as Json | undefined)?.detail !== undefined;
  const stripped = masked(body, [...DEFAULT_MASKS, ...(isError ? ['detail', 'status'] : [])]);
  return JSON.parse(JSON.stringify(stripped, (_k, v) => (v === DATE_TIME_MASK ? undefined : v)));
}

interface Naming {
  rewrites: Rewrites;
  count: number;
}

/** Names the id an answer gives (its own id, else the first of Resources[], else its Location) if not named yet. */
function learn(naming: Naming, e: RecordedExchange, body: unknown): string | undefined {
  const id = idsOf(body)[0] ?? idOfLocation(e.responseHeaders.location);
  if (!id || naming.rewrites.apply(id) !== id) return undefined;
  naming.count += 1;
  const name = `user${naming.count}`;
  naming.rewrites.add(id, `{{${name}}}`);
  return name;
}

function stepOf(e: RecordedExchange, path: string, naming: Naming): Step {
  const requestBody = parsedBody(e.requestText);
  const responseBody = parsedBody(e.responseText);
  const expect: Json = { status: e.status };
  const scimType = scimTypeOf(responseBody);
  if (scimType) expect.scimType = scimType;
  // The request as this run sends it: ids named by earlier answers.
  const sent = {
    method: e.method,
    path: naming.rewrites.apply(path),
    ...(requestBody !== undefined && { body: JSON.parse(naming.rewrites.apply(JSON.stringify(requestBody))) }),
  };
  const body = e.status > 0 && responseBody !== undefined ? expectedBody(responseBody) : undefined;
  const as = e.status < 300 ? learn(naming, e, responseBody) : undefined;
  if (body !== undefined && typeof body === 'object' && Object.keys(body as Json).length > 0)
    expect.body = JSON.parse(naming.rewrites.apply(JSON.stringify(body)));
  return { note: `capture entry ${e.index}`, scim: { ...sent, ...(as && { as }), expect } };
}

/** A draft scenario from a capture; `name` names it. Non-SCIM entries and methods a step cannot send are left out. */
export function draftScenario(capture: HarCapture, name: string): { scenario: Scenario; skipped: string[] } {
  const naming: Naming = { rewrites: new Rewrites(), count: 0 };
  const steps: Step[] = [];
  const skipped: string[] = [];
  for (const e of capture.exchanges) {
    const path = scimPathOf(e.url);
    if (path === undefined || !METHODS.has(e.method) || e.status === 0) {
      skipped.push(
        `entry ${e.index} ${e.method} ${e.url}: ${e.status === 0 ? 'no answer recorded' : 'not a SCIM request'}`,
      );
      continue;
    }
    steps.push(stepOf(e, path, naming));
  }
  const scenario: Scenario = {
    scenario: 1,
    name,
    description: `Drafted by scim-lab scenario from ${capture.creator}: each recorded SCIM exchange, expecting its recorded answer.`,
    steps,
  };
  return { scenario, skipped };
}

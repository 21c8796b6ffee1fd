// The context of a flow-suite check (issue 6 §3): the seed's flow end to end, through a fresh embedded mock PingOne per
// requirement, configured as in the seed document (steps 1–9) to provision into the target — the embedded mock Code42
// or a server given with --target. Checks drive PingOne through its management API and read the target over SCIM:
// HTTP only (style.md 9).
import {
  collectJournal,
  HttpClient,
  requirementBasics,
  type RequirementBasics,
  type ContextFactory,
  type ContextScope,
  type Endpoint,
  type HttpResponse,
} from '../engine';
import { embeddedMocks } from '../embedded-mocks';

export interface FlowIds {
  environmentId: string;
  populationId: string;
  storeId: string;
  ruleId: string;
}

export interface FlowContext extends RequirementBasics {
  /** PingOne's management API, scoped to the environment: `/users`, `/propagation/…`. */
  pingone: HttpClient;
  /** PingOne's /__admin (wait-idle, the outbound journal). */
  pingoneAdmin: HttpClient;
  /** The seeded configuration's ids (seed steps 1–9). */
  ids: FlowIds;
  /** The SCIM target, read with the token PingOne provisions with. */
  target: HttpClient;
  /** The target's /__admin, when it is a scim-lab mock: the Code42 side of users and its virtual clock. */
  targetAdmin?: HttpClient;
}

export interface FlowContextOptions {
  target: Endpoint;
  /** The target's /__admin surface: gives the run the `admin` capability (the Code42-side lifecycle). */
  admin?: Endpoint;
  /** Options of the embedded mock PingOne: PINGONE_DEVIATIONS entries (testing the tests). */
  pingone?: { deviations?: string[] };
  /**
   * A mock PingOne already running, seeded to provision into the target (e.g. a container of the image wired to a
   * Code42 container, `--runtime containers`), used instead of an embedded one per requirement. It is shared, so each
   * requirement starts from `POST /__admin/reset` and the seed store's settings as they were at the first one.
   */
  external?: ExternalPingOne;
}

/** A running mock PingOne, reached over HTTP only (docs/admin-api.md). */
export interface ExternalPingOne {
  /** The management API, e.g. http://127.0.0.1:32770/v1. */
  apiUrl: string;
  apiToken: string;
  adminUrl: string;
  adminToken: string;
  ids: FlowIds;
}

export interface FlowContextFactory extends ContextFactory<FlowContext> {
  /** Stops the mock PingOne of a requirement still running (each stops when its requirement ends). */
  close(): Promise<void>;
}

export function flowContext(options: FlowContextOptions): FlowContextFactory {
  const mocks = embeddedMocks();
  /** Each context's mock PingOne admin surface: its outbound journal is the requirement's evidence (issue 13 §5). */
  const admins = new WeakMap<FlowContext, { adminUrl: string; adminToken: string }>();

  /** The external PingOne's seed store, read at the first requirement and put back before each later one. */
  let seedStore: unknown;

  async function isolate(external: ExternalPingOne, clients: Pick<FlowContext, 'pingone' | 'pingoneAdmin'>) {
    const step = (res: HttpResponse, what: string) => {
      if (res.status < 200 || res.status > 299)
        throw new Error(`could not ${what} on the mock PingOne: ${res.status} ${res.text.slice(0, 300)}`);
      return res;
    };
    // docs/admin-api.md: reset drops users, sync status and queues, and keeps the configuration and its ids.
    step(await clients.pingoneAdmin.post('/reset'), 'reset');
    const store = `/propagation/stores/${external.ids.storeId}`;
    if (seedStore === undefined) seedStore = step(await clients.pingone.get(store), 'read the seed store').body;
    else step(await clients.pingone.put(store, { body: seedStore }), 'restore the seed store');
  }

  async function create(scope: ContextScope): Promise<FlowContext> {
    if (options.external) {
      const external = options.external;
      const context = contextOf(scope, external);
      await isolate(external, context);
      return context;
    }
    const d = await mocks
      .forRequirement(scope.signal)
      .pingone(
        { url: options.target.baseUrl, token: options.target.token, ...options.target.tls },
        options.pingone?.deviations,
      );
    scope.recorder.addSecret(d.clientSecret);
    if (!d.populationId || !d.storeId || !d.ruleId)
      throw new Error('the mock PingOne started without its seed configuration');
    return contextOf(scope, {
      ...d,
      ids: { environmentId: d.environmentId, populationId: d.populationId, storeId: d.storeId, ruleId: d.ruleId },
    });
  }

  function contextOf(scope: ContextScope, d: ExternalPingOne): FlowContext {
    const { recorder, signal } = scope;
    const json = { accept: 'application/json', contentType: 'application/json' };
    const context: FlowContext = {
      ...requirementBasics(scope),
      pingone: new HttpClient({
        name: 'PingOne',
        baseUrl: `${d.apiUrl}/environments/${d.ids.environmentId}`,
        token: d.apiToken,
        recorder,
        signal,
        ...json,
      }),
      pingoneAdmin: new HttpClient({
        name: 'PingOne admin',
        baseUrl: d.adminUrl,
        token: d.adminToken,
        recorder,
        signal,
        ...json,
      }),
      ids: d.ids,
      target: new HttpClient({ name: 'target', ...options.target, recorder, signal }),
      ...(options.admin && {
        targetAdmin: new HttpClient({ name: 'target admin', ...options.admin, recorder, signal, ...json }),
      }),
    };
    admins.set(context, { adminUrl: d.adminUrl, adminToken: d.adminToken });
    return context;
  }

  return {
    capabilities: options.admin ? ['admin'] : [],
    create,
    async collect(ctx, scope) {
      const admin = admins.get(ctx);
      // What PingOne sent the target (issue 13 §5): its outbound journal, PingOne → target.
      if (admin)
        await collectJournal({ ...admin, query: { direction: 'outbound' }, from: 'PingOne', to: 'target' }, scope);
    },
    close: mocks.close,
  };
}

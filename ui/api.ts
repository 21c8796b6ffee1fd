// The page's calls to the lab view's API (docs/admin-api.md "Lab view"). The admin token lives in sessionStorage only:
// it goes with each fetch in the Authorization header, and is traded for a single-use ticket to open the event stream.

const TOKEN_KEY = 'scim-lab.adminToken';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A call to /__ui/api/…; a refusal becomes an ApiError carrying the SCIM Error's detail. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const token = init.token ?? session.token() ?? '';
  const res = await fetch(`/__ui/api/${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const detail = (parsed as { detail?: string } | undefined)?.detail ?? `HTTP ${res.status}`;
    throw new ApiError(res.status, detail);
  }
  return parsed as T;
}

/** Downloads a response as a file, with the token in a header (a plain link could not carry it). */
export async function download(path: string, filename: string): Promise<void> {
  const res = await fetch(`/__ui/api/${path}`, { headers: { Authorization: `Bearer ${session.token() ?? ''}` } });
  if (!res.ok) throw new ApiError(res.status, `download failed: HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface JournalMessage {
  headers: Record<string, string>;
  body: unknown;
}

export interface FeedEvent {
  seq: number;
  side: string;
  from: string;
  to: string;
  entry: {
    time: string;
    direction: string;
    provider?: string;
    method: string;
    url: string;
    status: number;
    durationMs: number;
    error?: string;
    request: JournalMessage;
    response: JournalMessage;
  };
}

export interface LabUser {
  id: string;
  userName: string;
  state: string;
  licensed?: boolean;
  deactivationDueAt?: string;
  targetId?: string;
  sync?: { status: string; lastAction: string; details: string; attempts: number; lastSyncAt: string };
}

export interface FaultView {
  id: string;
  match: { method?: string; path?: string };
  action: string;
  status?: number;
  direction?: string;
  times?: number;
  percent?: number;
  remaining?: number;
  hits: number;
}

export interface LabView {
  sides: {
    name: string;
    clock: { now: string; offsetMs: number };
    faults: FaultView[];
    deviations: string[];
    switchable: { name: string; description: string; on: boolean }[];
    canResync: boolean;
  }[];
  users: { pingone?: LabUser; code42?: LabUser }[];
}

/**
 * Follows the live traffic: a ticket, then an EventSource from the last event seen. A dropped stream cannot reuse its
 * ticket, so it is reopened with a new one.
 */
export function followTraffic(onEvent: (event: FeedEvent) => void, onState: (live: boolean) => void): () => void {
  let last = 0;
  let source: EventSource | undefined;
  let stopped = false;
  let timer: number | undefined;
  const open = async () => {
    try {
      const { ticket } = await api<{ ticket: string }>('tickets', { method: 'POST' });
      if (stopped) return;
      source = new EventSource(`/__ui/api/events?ticket=${encodeURIComponent(ticket)}&after=${last}`);
      source.onopen = () => onState(true);
      source.addEventListener('exchange', (message) => {
        const event = JSON.parse((message as MessageEvent<string>).data) as FeedEvent;
        last = Math.max(last, event.seq);
        onEvent(event);
      });
      source.onerror = () => retry();
    } catch {
      retry();
    }
  };
  const retry = () => {
    onState(false);
    source?.close();
    if (!stopped) timer = window.setTimeout(() => void open(), 1000);
  };
  void open();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    source?.close();
  };
}

import type { Clock } from '../lab/types';
import { isoClock } from '../scim';

/**
 * The Code42 side of a user (C42-PINGONE-PROVISIONING): a provisioning deactivate blocks the user at once and
 * deactivates it after 15 minutes; deactivation does not free the licence; users can be reactivated. Blocking,
 * deauthorizing and deactivating are distinct states (CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE).
 */
export type Code42Status = 'active' | 'blocked' | 'deauthorized' | 'deactivated';

export interface Code42UserState {
  id: string;
  userName: string;
  status: Code42Status;
  licensed: boolean;
  createdAt: string;
  blockedAt?: string;
  deactivationDueAt?: string;
  deactivatedAt?: string;
  reactivatedAt?: string;
  deauthorizedAt?: string;
  /** Created in the Code42 console: provisioning can neither create, update nor delete it (C42-PINGONE-PROVISIONING). */
  local?: boolean;
  /** On legal hold: blocked, never deactivated (CRASHPLAN-BLOCK-DEAUTHORIZE-DEACTIVATE; inferred, docs/decisions.md). */
  legalHold?: boolean;
}

export const DEACTIVATE_AFTER_MS = 15 * 60 * 1000; // [DOC S7] "deactivates it after 15 minutes"

export interface LifecycleOptions {
  clock: Clock;
  deactivateAfterMs: number;
  /** Deviation `deactivate-immediately`. */
  immediate: boolean;
  /** Deviation `free-license`. */
  freeLicense: boolean;
  /** Deviation `manual-deactivate-delayed`: a console deactivation waits like a provisioning one. */
  manualDelayed: boolean;
}

/** What the Code42 console does to one user (the admin surface's actions). */
export type ConsoleAction = 'block' | 'deauthorize' | 'deactivate' | 'reactivate';

/** The Code42 side of every user the SCIM API stored [DOC S7]. */
export interface Lifecycle {
  /** Called after every successful create or update, with the `active` value that was stored. */
  observe(id: string, userName: string, active: boolean): void;
  /** Only reachable through the `allow-delete` deviation: Code42 itself never deletes. */
  forget(id: string): void;
  /** Records a user created in the console, which provisioning may not change. */
  addLocal(id: string, userName: string): void;
  setLegalHold(id: string, on: boolean): void;
  /** A refused provisioning deactivation of a user on legal hold: blocked at once, never scheduled for deactivation. */
  blockOnly(id: string): void;
  /** A console action; a manual deactivation is immediate (C42-PINGONE-PROVISIONING). Unknown ids are ignored. */
  act(id: string, action: ConsoleAction): void;
  /** The local user with this userName (compared case-insensitively, as RFC 7643 §4.1.1 has it), if any. */
  localByUserName(userName: string): Code42UserState | undefined;
  /** Copies, for export and for the admin surface. */
  list(): Code42UserState[];
  get(id: string): Code42UserState | undefined;
  licensesInUse(): number;
  clear(): void;
  /** Restores states and re-arms pending deactivations on the clock. */
  import(list: Code42UserState[]): void;
}

// eslint-disable-next-line max-lines-per-function -- one state machine: its transitions share the states, timers and clock; the console's actions are in consoleActions.
export function createLifecycle(opts: LifecycleOptions): Lifecycle {
  const { clock } = opts;
  const states = new Map<string, Code42UserState>();
  const timers = new Map<string, number>();
  const iso = isoClock(() => clock.now());

  function deactivate(state: Code42UserState): void {
    timers.delete(state.id);
    state.status = 'deactivated';
    state.deactivatedAt = iso();
    delete state.deactivationDueAt;
    if (opts.freeLicense) state.licensed = false;
  }

  function schedule(state: Code42UserState, dueMs: number): void {
    state.deactivationDueAt = new Date(dueMs).toISOString();
    timers.set(
      state.id,
      clock.at(dueMs, () => {
        if (state.status === 'blocked') deactivate(state);
      }),
    );
  }

  function cancel(id: string): void {
    const handle = timers.get(id);
    if (handle !== undefined) clock.cancel(handle);
    timers.delete(id);
  }

  function block(state: Code42UserState, dueMs: number | undefined): void {
    cancel(state.id);
    state.status = 'blocked';
    state.blockedAt = iso();
    delete state.deactivationDueAt;
    if (dueMs !== undefined) schedule(state, dueMs);
  }

  function reactivate(state: Code42UserState): void {
    cancel(state.id);
    state.status = 'active';
    state.licensed = true;
    state.reactivatedAt = iso();
    delete state.deactivationDueAt;
  }

  const locals = new Set<string>();
  const consoleSide = consoleActions({
    states,
    locals,
    act(state, action) {
      if (action === 'reactivate') return reactivate(state);
      if (action === 'block') return block(state, undefined);
      if (action === 'deauthorize') {
        cancel(state.id);
        state.status = 'deauthorized';
        state.deauthorizedAt = iso();
        return;
      }
      if (opts.manualDelayed) return block(state, clock.nowMs() + opts.deactivateAfterMs);
      // C42-PINGONE-PROVISIONING: the 15-minute delay "applies only when you use provisioning to deactivate users".
      cancel(state.id);
      deactivate(state);
    },
    blockOnly: (state) => block(state, undefined),
    observe: (id, userName) => observeUser(id, userName, true),
  });

  function observeUser(id: string, userName: string, active: boolean): void {
    let state = states.get(id);
    if (!state) {
      state = { id, userName, status: 'active', licensed: true, createdAt: iso() };
      states.set(id, state);
    }
    state.userName = userName;
    if (!active && (state.status === 'active' || state.status === 'deauthorized')) {
      if (opts.immediate) {
        state.blockedAt = iso();
        deactivate(state);
      } else {
        block(state, clock.nowMs() + opts.deactivateAfterMs);
      }
    } else if (active && (state.status === 'blocked' || state.status === 'deactivated')) {
      // A deauthorized user is only signed out: a provisioning update does not sign it back in.
      reactivate(state);
    }
  }

  return {
    ...consoleSide,
    observe: observeUser,
    /** Only reachable through the `allow-delete` deviation: Code42 itself never deletes. */
    forget(id: string): void {
      cancel(id);
      states.delete(id);
      locals.delete(id);
    },
    /** Copies, for export and for the admin surface. */
    list(): Code42UserState[] {
      return [...states.values()].map((s) => ({ ...s }));
    },
    get(id: string): Code42UserState | undefined {
      const s = states.get(id);
      return s && { ...s };
    },
    licensesInUse(): number {
      return [...states.values()].filter((s) => s.licensed).length;
    },
    clear(): void {
      for (const id of [...timers.keys()]) cancel(id);
      states.clear();
      locals.clear();
    },
    /** Restores states and re-arms pending deactivations on the clock. */
    import(list: Code42UserState[]): void {
      this.clear();
      for (const s of list) {
        const state = { ...s };
        states.set(state.id, state);
        if (state.local) locals.add(state.id);
        if (state.status === 'blocked' && state.deactivationDueAt) schedule(state, Date.parse(state.deactivationDueAt));
      }
    },
  };
}

interface ConsoleParts {
  states: Map<string, Code42UserState>;
  /** The ids of local users, so that a POST need not scan every user. */
  locals: Set<string>;
  act(state: Code42UserState, action: ConsoleAction): void;
  blockOnly(state: Code42UserState): void;
  observe(id: string, userName: string): void;
}

/** The console's side of the lifecycle: local users, legal hold and the manual actions. */
function consoleActions({
  states,
  locals,
  act,
  blockOnly,
  observe,
}: ConsoleParts): Pick<Lifecycle, 'addLocal' | 'setLegalHold' | 'blockOnly' | 'act' | 'localByUserName'> {
  const withState = (id: string, run: (state: Code42UserState) => void) => {
    const state = states.get(id);
    if (state) run(state);
  };
  return {
    addLocal(id, userName) {
      observe(id, userName);
      withState(id, (state) => (state.local = true));
      locals.add(id);
    },
    setLegalHold: (id, on) => withState(id, (state) => (on ? (state.legalHold = true) : delete state.legalHold)),
    blockOnly: (id) => withState(id, blockOnly),
    act: (id, action) => withState(id, (state) => act(state, action)),
    localByUserName(userName) {
      const wanted = userName.toLowerCase();
      for (const id of locals) {
        const state = states.get(id);
        if (state?.local && state.userName.toLowerCase() === wanted) return { ...state };
      }
      return undefined;
    },
  };
}

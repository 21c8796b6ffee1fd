import type { Clock } from '../lab/types';
import { isoClock } from '../scim';

/**
 * The Code42 side of a user [DOC S7]: a provisioning deactivate blocks the user at once and
 * deactivates it after 15 minutes; deactivation does not free the licence; users can be reactivated.
 */
export type Code42Status = 'active' | 'blocked' | 'deactivated';

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
}

export const DEACTIVATE_AFTER_MS = 15 * 60 * 1000; // [DOC S7] "deactivates it after 15 minutes"

export interface LifecycleOptions {
  clock: Clock;
  deactivateAfterMs: number;
  /** Deviation `deactivate-immediately`. */
  immediate: boolean;
  /** Deviation `free-license`. */
  freeLicense: boolean;
}

/** The Code42 side of every user the SCIM API stored [DOC S7]. */
export interface Lifecycle {
  /** Called after every successful create or update, with the `active` value that was stored. */
  observe(id: string, userName: string, active: boolean): void;
  /** Only reachable through the `allow-delete` deviation: Code42 itself never deletes. */
  forget(id: string): void;
  /** Copies, for export and for the admin surface. */
  list(): Code42UserState[];
  get(id: string): Code42UserState | undefined;
  licensesInUse(): number;
  clear(): void;
  /** Restores states and re-arms pending deactivations on the clock. */
  import(list: Code42UserState[]): void;
}

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

  return {
    /** Called after every successful create or update, with the `active` value that was stored. */
    observe(id: string, userName: string, active: boolean): void {
      let state = states.get(id);
      if (!state) {
        state = { id, userName, status: 'active', licensed: true, createdAt: iso() };
        states.set(id, state);
      }
      state.userName = userName;
      if (!active && state.status === 'active') {
        state.blockedAt = iso();
        if (opts.immediate) {
          deactivate(state);
        } else {
          state.status = 'blocked';
          schedule(state, clock.nowMs() + opts.deactivateAfterMs);
        }
      } else if (active && state.status !== 'active') {
        cancel(id);
        state.status = 'active';
        state.licensed = true;
        state.reactivatedAt = iso();
        delete state.deactivationDueAt;
      }
    },
    /** Only reachable through the `allow-delete` deviation: Code42 itself never deletes. */
    forget(id: string): void {
      cancel(id);
      states.delete(id);
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
    },
    /** Restores states and re-arms pending deactivations on the clock. */
    import(list: Code42UserState[]): void {
      this.clear();
      for (const s of list) {
        const state = { ...s };
        states.set(state.id, state);
        if (state.status === 'blocked' && state.deactivationDueAt) schedule(state, Date.parse(state.deactivationDueAt));
      }
    },
  };
}

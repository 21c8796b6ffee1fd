// The Code42 console's user actions on the admin surface (docs/admin-api.md): local users, legal hold, and the
// manual block, deauthorize, deactivate and reactivate. They act at once: the 15-minute delay "applies only when you
// use provisioning to deactivate users" (C42-PINGONE-PROVISIONING).
import type { AdminRoute } from '../lab';
import { jsonReply, scimErrors, URN, type UserStore } from '../scim';
import type { ConsoleAction, Lifecycle } from './user-lifecycle';

export interface ConsoleDeps {
  store: UserStore;
  lifecycle: Lifecycle;
  /** meta.location of a user created here (the SCIM surface renders a fresh one on every read). */
  location(id: string): string;
}

const ACTIONS: readonly ConsoleAction[] = ['block', 'deauthorize', 'deactivate', 'reactivate'];

/** The `active` value SCIM reads show after a console action; block and deauthorize leave it as it is. */
const SCIM_ACTIVE: Partial<Record<ConsoleAction, boolean>> = { deactivate: false, reactivate: true };

export function consoleRoutes(route: AdminRoute, { store, lifecycle, location }: ConsoleDeps): void {
  const stateOf = (id: string) => {
    const state = lifecycle.get(id);
    if (!state) throw scimErrors.notFound(`users: no user '${id}'`);
    return state;
  };
  route('/users/local', {
    POST: (ctx) => {
      const user = store.create(ctx.body, { location });
      lifecycle.addLocal(user.id!, user.userName as string);
      return jsonReply(stateOf(user.id!), 201);
    },
  });
  route('/users/:id/legal-hold', {
    POST: (ctx) => jsonReply(setLegalHold(ctx.params.id, true)),
    DELETE: (ctx) => jsonReply(setLegalHold(ctx.params.id, false)),
  });
  for (const action of ACTIONS) route(`/users/:id/${action}`, { POST: (ctx) => jsonReply(act(ctx.params.id, action)) });

  function setLegalHold(id: string, on: boolean) {
    const state = stateOf(id);
    if (on && state.status === 'deactivated')
      // CRASHPLAN-DEACTIVATE-USERS: "Deactivated users cannot sign in and cannot be added to a legal hold."
      throw scimErrors.mutability(`users/${id}/legal-hold: user '${state.userName}' is deactivated`);
    lifecycle.setLegalHold(id, on);
    return stateOf(id);
  }

  function act(id: string, action: ConsoleAction) {
    const state = stateOf(id);
    if (action === 'deactivate' && state.legalHold)
      throw scimErrors.mutability(
        `users/${id}/deactivate: user '${state.userName}' is on legal hold and cannot be deactivated`,
      );
    const active = SCIM_ACTIVE[action];
    if (active !== undefined && store.find(id))
      store.patch(id, { schemas: [URN.PatchOp], Operations: [{ op: 'replace', path: 'active', value: active }] });
    lifecycle.act(id, action);
    return stateOf(id);
  }
}

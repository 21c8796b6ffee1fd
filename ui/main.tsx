import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, followTraffic, session, type FeedEvent, type LabView } from './api';
import { Controls } from './controls';
import { SequenceDiagram } from './diagram';
import { UsersTable } from './users';
import './style.css';

// The live lab view (`scim-lab up --ui`): the page asks for the admin token, keeps it in sessionStorage only, and
// shows the traffic, both sides' users and the controls.

const MAX_EVENTS = 1000;
const REFRESH_MS = 5000;

function Login({ onToken }: { onToken: (token: string) => void }) {
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const token = (new FormData(e.currentTarget as HTMLFormElement).get('token') as string).trim();
    try {
      await api('lab', { token });
      session.save(token);
      onToken(token);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401 ? 'That is not the admin token of this lab.' : String(err),
      );
    }
  };
  return (
    <form id="login" class="login" onSubmit={submit}>
      <h1>scim-lab: live lab view</h1>
      <p>The admin token is in the --json line of scim-lab up (adminToken). It is kept in this tab only.</p>
      <label>
        Admin token <input name="token" type="password" autoComplete="off" required />
      </label>
      <button type="submit">Open</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function Lab({ onLogout }: { onLogout: () => void }) {
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [view, setView] = useState<LabView | undefined>();
  const [live, setLive] = useState(false);
  const [notice, setNotice] = useState('');
  const pending = useRef<number | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setView(await api<LabView>('lab'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onLogout();
    }
  }, [onLogout]);
  const soon = useCallback(() => {
    window.clearTimeout(pending.current);
    pending.current = window.setTimeout(() => void refresh(), 200);
  }, [refresh]);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), REFRESH_MS);
    const stop = followTraffic((event) => {
      setEvents((list) => [...list, event].slice(-MAX_EVENTS));
      soon();
    }, setLive);
    return () => {
      window.clearInterval(timer);
      stop();
    };
  }, [refresh, soon]);

  // Resolves once the view shows the action's effect, so a control that shows its own pending state (a deviation's
  // checkbox) never falls back to the old state in between.
  const run = (label: string, action: () => Promise<unknown>): Promise<void> =>
    action()
      .then(() => setNotice(`${label}: done`))
      .catch((err: unknown) => setNotice(`${label}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => refresh());

  return (
    <main>
      <header>
        <h1>scim-lab: live lab view</h1>
        <span id="live" class={live ? 'live' : 'offline'}>
          {live ? 'live' : 'reconnecting…'}
        </span>
        <button onClick={() => setEvents([])}>Clear view</button>
        <button onClick={onLogout}>Forget token</button>
      </header>
      {notice && (
        <p id="notice" class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="layout">
        <section class="traffic">
          <h2>Traffic ({events.length})</h2>
          <SequenceDiagram events={events} />
        </section>
        <aside>
          <h2>Users</h2>
          {view && <UsersTable users={view.users} />}
          {view && <Controls view={view} run={run} />}
        </aside>
      </div>
    </main>
  );
}

function App() {
  const [token, setToken] = useState(session.token());
  const logout = useCallback(() => {
    session.forget();
    setToken(null);
  }, []);
  return token ? <Lab onLogout={logout} /> : <Login onToken={setToken} />;
}

render(<App />, document.getElementById('app') as HTMLElement);

import { useState } from 'preact/hooks';
import { api, download, type LabView } from './api';

// The lab's controls: fault rules, the virtual clock, Full Resync, the HAR downloads and a scenario of the traffic. Each calls the lab view's
// API, which does what the mock's admin surface does (docs/admin-api.md).

type Run = (label: string, action: () => Promise<unknown>) => Promise<void>;

function FaultForm({ sides, run }: { sides: LabView['sides']; run: Run }) {
  const [side, setSide] = useState(sides.find((s) => s.name === 'pingone') ? 'pingone' : (sides[0]?.name ?? ''));
  const [direction, setDirection] = useState('outbound');
  const [method, setMethod] = useState('POST');
  const [path, setPath] = useState('/Users*');
  const [action, setAction] = useState('status');
  const [status, setStatus] = useState('503');
  const [times, setTimes] = useState('2');
  const submit = (e: Event) => {
    e.preventDefault();
    const rule = {
      match: { ...(method && { method }), ...(path && { path }) },
      action,
      ...(action === 'status' && { status: Number(status) }),
      ...(action === 'latency' && { latencyMs: [Number(status), Number(status)] }),
      ...(side === 'pingone' && { direction }),
      ...(times && { times: Number(times) }),
    };
    run('add fault', () => api('faults', { method: 'POST', body: { side, rule } }));
  };
  return (
    <form id="fault-form" class="row" onSubmit={submit}>
      <select name="side" value={side} onChange={(e) => setSide(e.currentTarget.value)} aria-label="side">
        {sides.map((s) => (
          <option key={s.name}>{s.name}</option>
        ))}
      </select>
      {side === 'pingone' && (
        <select
          name="direction"
          value={direction}
          onChange={(e) => setDirection(e.currentTarget.value)}
          aria-label="direction"
        >
          <option value="outbound">outbound (provisioner → target)</option>
          <option value="inbound">inbound (its API)</option>
        </select>
      )}
      <input
        name="method"
        size={6}
        value={method}
        onInput={(e) => setMethod(e.currentTarget.value)}
        aria-label="method"
      />
      <input name="path" size={10} value={path} onInput={(e) => setPath(e.currentTarget.value)} aria-label="path" />
      <select name="action" value={action} onChange={(e) => setAction(e.currentTarget.value)} aria-label="action">
        {['status', 'latency', 'reset', 'empty'].map((a) => (
          <option key={a}>{a}</option>
        ))}
      </select>
      {(action === 'status' || action === 'latency') && (
        <input
          name="status"
          size={5}
          value={status}
          onInput={(e) => setStatus(e.currentTarget.value)}
          aria-label={action === 'status' ? 'status' : 'latency ms'}
        />
      )}
      <label>
        times <input name="times" size={3} value={times} onInput={(e) => setTimes(e.currentTarget.value)} />
      </label>
      <button type="submit">Add fault</button>
    </form>
  );
}

function Faults({ sides, run }: { sides: LabView['sides']; run: Run }) {
  const all = sides.flatMap((s) => s.faults.map((f) => ({ side: s.name, ...f })));
  return (
    <section class="panel">
      <h3>Fault rules</h3>
      <FaultForm sides={sides} run={run} />
      <ul id="faults">
        {all.map((f) => (
          <li key={`${f.side}:${f.id}`}>
            {f.side} {f.id}: {f.direction ?? 'inbound'} {f.match.method ?? '*'} {f.match.path ?? '*'} → {f.action}{' '}
            {f.status ?? ''} · {f.hits} hit{f.hits === 1 ? '' : 's'}
            {f.remaining !== undefined ? `, ${f.remaining} left` : ''}
          </li>
        ))}
      </ul>
      <button id="clear-faults" onClick={() => run('clear faults', () => api('faults', { method: 'DELETE' }))}>
        Clear all faults
      </button>
    </section>
  );
}

function Clock({ sides, run }: { sides: LabView['sides']; run: Run }) {
  const [minutes, setMinutes] = useState('15');
  return (
    <section class="panel">
      <h3>Virtual clock</h3>
      <ul>
        {sides.map((s) => (
          <li key={s.name}>
            {s.name}: {s.clock.now} (+{Math.round(s.clock.offsetMs / 1000)} s)
          </li>
        ))}
      </ul>
      <form
        id="clock-form"
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          run('advance clock', () =>
            api('clock/advance', { method: 'POST', body: { ms: Math.round(Number(minutes) * 60_000) } }),
          );
        }}
      >
        <label>
          minutes <input name="minutes" size={5} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </label>
        <button type="submit">Advance clock</button>
      </form>
    </section>
  );
}

function Deviations({ sides, run }: { sides: LabView['sides']; run: Run }) {
  // A switch shows what was asked until the mock's answer and the refreshed view arrive.
  const [asked, setAsked] = useState<Record<string, boolean>>({});
  const flip = (side: string, name: string, on: boolean) => {
    const key = `${side}:${name}`;
    setAsked((a) => ({ ...a, [key]: on }));
    void run(`${name} ${on ? 'on' : 'off'}`, () =>
      api('deviations', { method: 'PUT', body: { side, name, on } }),
    ).finally(() =>
      setAsked((a) => {
        const rest = { ...a };
        delete rest[key];
        return rest;
      }),
    );
  };
  return (
    <>
      <h4>Deviations</h4>
      <ul id="deviations">
        {sides.map((s) => (
          <li key={s.name}>
            {s.name} in force: {s.deviations.length ? s.deviations.join(', ') : 'none'}
          </li>
        ))}
      </ul>
      {sides
        .filter((s) => s.switchable.length > 0)
        .map((s) => (
          <details key={s.name} class="switches" data-side={s.name}>
            <summary>Switch {s.name} deviations while it runs</summary>
            {s.switchable.map((d) => (
              <label key={d.name} title={d.description} class="switch">
                <input
                  type="checkbox"
                  name={d.name}
                  checked={asked[`${s.name}:${d.name}`] ?? d.on}
                  onChange={(e) => flip(s.name, d.name, e.currentTarget.checked)}
                />{' '}
                {d.name}
              </label>
            ))}
          </details>
        ))}
      <p class="hint">Other deviations are read when a mock starts: set them with --deviation.</p>
    </>
  );
}

export function Controls({ view, run }: { view: LabView; run: Run }) {
  const canResync = view.sides.some((s) => s.canResync);
  return (
    <div class="controls">
      <Faults sides={view.sides} run={run} />
      <Clock sides={view.sides} run={run} />
      <section class="panel">
        <h3>Provisioning and records</h3>
        {canResync && (
          <button id="resync" onClick={() => run('Full Resync', () => api('resync', { method: 'POST' }))}>
            Full Resync
          </button>
        )}
        {view.sides.map((s) => (
          <button
            key={s.name}
            class="har"
            onClick={() => run(`${s.name} HAR`, () => download(`journal.har?side=${s.name}`, `${s.name}.har`))}
          >
            Download {s.name} HAR
          </button>
        ))}
        {view.sides
          .filter((s) => s.name === 'code42')
          .map((s) => (
            <button
              key={`${s.name}-scenario`}
              class="scenario"
              onClick={() => run('scenario', () => download(`scenario.json?side=${s.name}`, `${s.name}-scenario.json`))}
            >
              Download a scenario of the SCIM traffic
            </button>
          ))}
        <Deviations sides={view.sides} run={run} />
      </section>
    </div>
  );
}

import type { FeedEvent, JournalMessage } from './api';

// The live traffic as a sequence diagram: one column per participant, a solid arrow per request and a dashed one per
// response, a row per exchange that opens to show its headers and bodies (redacted as the journal keeps them).

export const COLUMNS = ['Clients', 'PingOne API', 'Provisioner', 'Code42'];
const WIDTH = 880;
const COLUMN = WIDTH / COLUMNS.length;
const xOf = (name: string) => (Math.max(0, COLUMNS.indexOf(name)) + 0.5) * COLUMN;

export function statusClass(status: number, error?: string): string {
  if (status === 0 || status >= 500 || error) return 'bad';
  if (status >= 400) return 'warn';
  return 'ok';
}

function pathOf(url: string): string {
  try {
    const u = new URL(url, 'http://lab.invalid');
    return decodeURIComponent(`${u.pathname}${u.search}`);
  } catch {
    return url;
  }
}

function Lifelines({ height }: { height: number }) {
  return (
    <>
      {COLUMNS.map((c) => (
        <line key={c} class="lifeline" x1={xOf(c)} x2={xOf(c)} y1={0} y2={height} />
      ))}
    </>
  );
}

function Arrow({
  from,
  to,
  y,
  dashed,
  label,
  cls,
}: {
  from: string;
  to: string;
  y: number;
  dashed?: boolean;
  label: string;
  cls: string;
}) {
  const x1 = xOf(from);
  const x2 = xOf(to);
  const left = Math.min(x1, x2);
  const span = Math.abs(x2 - x1);
  const chars = Math.max(8, Math.floor(span / 6.4));
  const text = label.length > chars ? `${label.slice(0, chars - 1)}…` : label;
  return (
    <g class={`arrow ${cls}${dashed ? ' response' : ' request'}`}>
      <line x1={x1} x2={x2 + (x2 > x1 ? -6 : 6)} y1={y} y2={y} stroke-dasharray={dashed ? '5 4' : undefined} />
      <path d={x2 > x1 ? `M${x2},${y} l-8,-4 l0,8 z` : `M${x2},${y} l8,-4 l0,8 z`} />
      <text x={left + span / 2} y={y - 4} text-anchor="middle">
        {text}
      </text>
    </g>
  );
}

function Message({ title, message }: { title: string; message: JournalMessage }) {
  const body =
    message.body === undefined
      ? ''
      : typeof message.body === 'string'
        ? message.body
        : JSON.stringify(message.body, null, 2);
  return (
    <section class="message">
      <h4>{title}</h4>
      <table class="headers">
        <tbody>
          {Object.entries(message.headers).map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {body && <pre class="body">{body}</pre>}
    </section>
  );
}

export function ExchangeRow({ event }: { event: FeedEvent }) {
  const { entry } = event;
  const cls = statusClass(entry.status, entry.error);
  const answer =
    entry.status === 0
      ? `no response${entry.error ? `: ${entry.error}` : ''}`
      : `${entry.status}${entry.error ? ` (${entry.error})` : ''}`;
  return (
    <details class="exchange" data-seq={event.seq} data-status={entry.status} data-from={event.from} data-to={event.to}>
      <summary>
        <svg
          viewBox={`0 0 ${WIDTH} 44`}
          width={WIDTH}
          height={44}
          role="img"
          aria-label={`${event.from} to ${event.to}: ${entry.method} ${pathOf(entry.url)}, ${answer}`}
        >
          <Lifelines height={44} />
          <Arrow from={event.from} to={event.to} y={18} label={`${entry.method} ${pathOf(entry.url)}`} cls={cls} />
          <Arrow from={event.to} to={event.from} y={38} dashed label={answer} cls={cls} />
        </svg>
      </summary>
      <div class="detail">
        <p class="meta">
          #{event.seq} · {entry.time} · {entry.durationMs} ms · {event.side} journal, {entry.direction}
          {entry.provider ? ` · provider ${entry.provider}` : ''}
        </p>
        <p class="url">
          {entry.method} {entry.url}
        </p>
        <div class="messages">
          <Message title="Request" message={entry.request} />
          <Message title={`Response ${entry.status}`} message={entry.response} />
        </div>
      </div>
    </details>
  );
}

export function SequenceDiagram({ events }: { events: FeedEvent[] }) {
  return (
    <div class="diagram" id="traffic">
      <div class="participants">
        <svg viewBox={`0 0 ${WIDTH} 30`} width={WIDTH} height={30}>
          {COLUMNS.map((c) => (
            <g key={c}>
              <rect x={xOf(c) - 70} y={2} width={140} height={26} rx={4} />
              <text x={xOf(c)} y={20} text-anchor="middle">
                {c}
              </text>
            </g>
          ))}
        </svg>
      </div>
      {events.length === 0 && <p class="empty">No traffic yet: call the PingOne API or the Code42 SCIM API.</p>}
      {events.map((e) => (
        <ExchangeRow key={e.seq} event={e} />
      ))}
    </div>
  );
}

import type { LabUser, LabView } from './api';

// Both sides' users in one table: PingOne's user and its sync status beside the same person in Code42, with Code42's
// lifecycle state (active, blocked, deactivated) and licence.

function SyncCell({ user }: { user?: LabUser }) {
  if (!user) return <td class="none">—</td>;
  if (!user.sync) return <td class="sync">not synced yet</td>;
  const { status, lastAction, attempts, details } = user.sync;
  return (
    <td class="sync" data-sync={status}>
      <span class={`badge sync-${status.toLowerCase()}`}>{status}</span> {lastAction}
      {attempts > 1 ? `, ${attempts} attempts` : ''}
      {details && <div class="details">{details}</div>}
    </td>
  );
}

function Code42Cells({ user }: { user?: LabUser }) {
  if (!user)
    return (
      <>
        <td class="none">—</td>
        <td class="none">—</td>
        <td class="none">—</td>
      </>
    );
  return (
    <>
      <td class="name">{user.userName}</td>
      <td data-state={user.state}>
        <span class={`badge state-${user.state}`}>{user.state}</span>
        {user.deactivationDueAt && <div class="details">deactivates at {user.deactivationDueAt}</div>}
      </td>
      <td data-licensed={String(user.licensed)}>{user.licensed ? 'licensed' : 'unlicensed'}</td>
    </>
  );
}

export function UsersTable({ users }: { users: LabView['users'] }) {
  return (
    <table id="users" class="users">
      <thead>
        <tr>
          <th colSpan={3}>PingOne</th>
          <th colSpan={3}>Code42</th>
        </tr>
        <tr>
          <th>username</th>
          <th>enabled</th>
          <th>sync status</th>
          <th>userName</th>
          <th>lifecycle</th>
          <th>licence</th>
        </tr>
      </thead>
      <tbody>
        {users.length === 0 && (
          <tr>
            <td colSpan={6} class="empty">
              No users on either side.
            </td>
          </tr>
        )}
        {users.map((row) => (
          <tr
            key={`${row.pingone?.id ?? ''}:${row.code42?.id ?? ''}`}
            data-user={row.pingone?.userName ?? row.code42?.userName}
          >
            <td class="name">{row.pingone?.userName ?? '—'}</td>
            <td>{row.pingone?.state ?? '—'}</td>
            <SyncCell user={row.pingone} />
            <Code42Cells user={row.code42} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

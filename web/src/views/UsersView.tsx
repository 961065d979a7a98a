// Users and workspaces (owner): create users with roles, reset passwords, issue API keys,
// and manage workspace membership.
import { useState } from 'preact/hooks';
import { api, endpoints, type Role, type User, type Workspace } from '../api';
import { useUser } from '../auth';
import { ErrorBanner, Modal, Notice, Page, Spinner } from '../components/ui';
import { useAsync } from '../lib/useAsync';

const kRoles: Role[] = ['annotator', 'admin', 'owner'];
const kUsername = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Problems with a new user's form, or an empty list. Mirrors the API's rules (§1.2). */
export function userFormProblems(u: { username: string; first_name: string; password: string }): string[] {
  const p: string[] = [];
  if (!kUsername.test(u.username)) p.push('Username: letters, digits, _ and -, starting with a letter or digit.');
  if (!u.first_name.trim()) p.push('First name is required.');
  if (u.password.length < 8 || u.password.length > 100) p.push('Password: 8 to 100 characters.');
  return p;
}

/** A random password from the browser's CSPRNG, for the "generate" button. */
export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

interface Loaded {
  users: User[];
  workspaces: Workspace[];
  members: Record<string, User[]>;
}

async function load(): Promise<Loaded> {
  const [users, workspaces] = await Promise.all([endpoints.listUsers(api), endpoints.myWorkspaces(api)]);
  const members: Record<string, User[]> = {};
  await Promise.all(
    workspaces.items.map(async (w) => {
      members[w.id] = (await endpoints.workspaceUsers(api, w.id)).items;
    }),
  );
  return { users: users.items, workspaces: workspaces.items, members };
}

type Dialog =
  | { kind: 'password'; user: User }
  | { kind: 'key'; user: User; key?: string }
  | { kind: 'delete'; user: User }
  | null;

export function UsersView() {
  const me = useUser();
  const { data, error, reload } = useAsync(load, []);
  const [form, setForm] = useState({ username: '', first_name: '', last_name: '', role: 'annotator' as Role, password: '' });
  const [formProblems, setFormProblems] = useState<string[]>([]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [newPassword, setNewPassword] = useState('');
  const [newWorkspace, setNewWorkspace] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await fn();
      if (done) setNotice(done);
      reload();
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const createUser = async (e: Event) => {
    e.preventDefault();
    const problems = userFormProblems(form);
    setFormProblems(problems);
    if (problems.length) return;
    const ok = await act(
      () =>
        endpoints.createUser(api, {
          username: form.username.trim(),
          first_name: form.first_name.trim(),
          last_name: form.last_name.trim() || undefined,
          role: form.role,
          password: form.password,
        }),
      `User ${form.username} created.`,
    );
    if (ok) setForm({ username: '', first_name: '', last_name: '', role: 'annotator', password: '' });
  };

  if (error) {
    return (
      <Page title="Users and workspaces">
        <ErrorBanner error={error} onRetry={reload} />
      </Page>
    );
  }
  if (!data) return <Spinner />;

  return (
    <Page title="Users and workspaces">
      <ErrorBanner error={actionError} />
      {notice && <Notice kind="ok">{notice}</Notice>}

      <section class="card stack">
        <h2>Users</h2>
        <div class="table-wrap">
          <table data-testid="users-table">
            <thead>
              <tr>
                <th>Username</th>
                <th>Name</th>
                <th>Role</th>
                <th>Workspaces</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username}>
                  <td>{u.username}</td>
                  <td>
                    {u.first_name} {u.last_name ?? ''}
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${u.username}`}
                      value={u.role}
                      disabled={busy || u.id === me?.id}
                      onChange={(e) => {
                        const role = e.currentTarget.value as Role;
                        act(() => endpoints.updateUser(api, u.id, { role }), `${u.username} is now ${role}.`);
                      }}
                    >
                      {kRoles.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td class="small">
                    {data.workspaces
                      .filter((w) => data.members[w.id]?.some((m) => m.id === u.id))
                      .map((w) => w.name)
                      .join(', ')}
                  </td>
                  <td class="nowrap">
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => {
                        setNewPassword(generatePassword());
                        setDialog({ kind: 'password', user: u });
                      }}
                    >
                      Reset password
                    </button>
                    <button type="button" class="btn btn-small" onClick={() => setDialog({ kind: 'key', user: u })}>
                      API key
                    </button>
                    {u.id !== me?.id && (
                      <button type="button" class="btn btn-small btn-danger" onClick={() => setDialog({ kind: 'delete', user: u })}>
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <form class="stack" onSubmit={createUser} aria-label="New user">
          <h3>New user</h3>
          <div class="form-grid">
            <label>
              Username
              <input name="new-username" value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} />
            </label>
            <label>
              First name
              <input name="new-first-name" value={form.first_name} onInput={(e) => setForm({ ...form, first_name: e.currentTarget.value })} />
            </label>
            <label>
              Last name
              <input name="new-last-name" value={form.last_name} onInput={(e) => setForm({ ...form, last_name: e.currentTarget.value })} />
            </label>
            <label>
              Role
              <select name="new-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
                {kRoles.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Password
              <div class="row">
                <input
                  name="new-password"
                  type="text"
                  autoComplete="new-password"
                  value={form.password}
                  onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
                />
                <button type="button" class="btn btn-small" onClick={() => setForm({ ...form, password: generatePassword() })}>
                  Generate
                </button>
              </div>
            </label>
          </div>
          {formProblems.map((p) => (
            <Notice key={p} kind="warn">
              {p}
            </Notice>
          ))}
          <div>
            <button type="submit" class="btn btn-primary" disabled={busy} data-testid="create-user">
              Create user
            </button>
          </div>
        </form>
      </section>

      <section class="card stack">
        <h2>Workspaces</h2>
        {data.workspaces.map((w) => (
          <WorkspaceMembers
            key={w.id}
            workspace={w}
            members={data.members[w.id] ?? []}
            users={data.users}
            busy={busy}
            onAdd={(userId) => act(() => endpoints.addWorkspaceUser(api, w.id, userId))}
            onRemove={(userId) => act(() => endpoints.removeWorkspaceUser(api, w.id, userId))}
          />
        ))}
        <div class="row">
          <input
            name="new-workspace"
            aria-label="New workspace name"
            placeholder="New workspace name"
            value={newWorkspace}
            onInput={(e) => setNewWorkspace(e.currentTarget.value)}
          />
          <button
            type="button"
            class="btn"
            disabled={busy || !newWorkspace.trim()}
            onClick={async () => {
              if (await act(() => endpoints.createWorkspace(api, newWorkspace.trim()), `Workspace ${newWorkspace.trim()} created.`))
                setNewWorkspace('');
            }}
          >
            Create workspace
          </button>
        </div>
      </section>

      {dialog?.kind === 'password' && (
        <Modal title={`New password for ${dialog.user.username}`} onClose={() => setDialog(null)}>
          <form
            class="stack"
            onSubmit={async (e) => {
              e.preventDefault();
              if (newPassword.length < 8 || newPassword.length > 100) {
                setActionError(new Error('Password: 8 to 100 characters.'));
                return;
              }
              if (await act(() => endpoints.updateUser(api, dialog.user.id, { password: newPassword }), `Password of ${dialog.user.username} changed.`))
                setDialog(null);
            }}
          >
            <label>
              Password (give it to the user; it is not shown again)
              <input name="reset-password" value={newPassword} onInput={(e) => setNewPassword(e.currentTarget.value)} />
            </label>
            <div class="row">
              <button type="submit" class="btn btn-primary" disabled={busy}>
                Set password
              </button>
              <button type="button" class="btn" onClick={() => setNewPassword(generatePassword())}>
                Generate another
              </button>
            </div>
          </form>
        </Modal>
      )}
      {dialog?.kind === 'key' && (
        <Modal title={`API key for ${dialog.user.username}`} onClose={() => setDialog(null)}>
          {dialog.key ? (
            <div class="stack">
              <p>Copy it now: only a hash is stored, so it cannot be shown again.</p>
              <input readOnly value={dialog.key} data-testid="issued-api-key" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" class="btn" onClick={() => navigator.clipboard?.writeText(dialog.key!)}>
                Copy
              </button>
            </div>
          ) : (
            <div class="stack">
              <p>Issue a new API key for scripts and the Python SDK (header X-Argilla-Api-Key).</p>
              <button
                type="button"
                class="btn btn-primary"
                disabled={busy}
                onClick={async () => {
                  setBusy(true);
                  setActionError(null);
                  try {
                    const issued = await endpoints.issueApiKey(api, dialog.user.id);
                    setDialog({ ...dialog, key: issued.api_key });
                  } catch (e) {
                    setActionError(e);
                    setDialog(null);
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                Issue key
              </button>
            </div>
          )}
        </Modal>
      )}
      {dialog?.kind === 'delete' && (
        <Modal title={`Delete ${dialog.user.username}?`} onClose={() => setDialog(null)}>
          <p>The user can no longer sign in. Their responses stay in the datasets.</p>
          <div class="row">
            <button
              type="button"
              class="btn btn-danger"
              onClick={async () => {
                if (await act(() => endpoints.deleteUser(api, dialog.user.id), `${dialog.user.username} deleted.`)) setDialog(null);
              }}
            >
              Delete
            </button>
            <button type="button" class="btn" onClick={() => setDialog(null)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </Page>
  );
}

function WorkspaceMembers({
  workspace,
  members,
  users,
  busy,
  onAdd,
  onRemove,
}: {
  workspace: Workspace;
  members: User[];
  users: User[];
  busy: boolean;
  onAdd: (userId: string) => void;
  onRemove: (userId: string) => void;
}) {
  const [pick, setPick] = useState('');
  const memberIds = new Set(members.map((m) => m.id));
  const candidates = users.filter((u) => !memberIds.has(u.id));
  return (
    <div class="field-row stack" data-testid="workspace-row" data-workspace={workspace.name}>
      <strong>{workspace.name}</strong>
      <div class="row">
        {members.length === 0 && <span class="muted">No members.</span>}
        {members.map((m) => (
          <span class="chip" key={m.id}>
            {m.username}
            <button type="button" class="btn btn-ghost btn-small" aria-label={`Remove ${m.username} from ${workspace.name}`} disabled={busy} onClick={() => onRemove(m.id)}>
              ×
            </button>
          </span>
        ))}
      </div>
      {candidates.length > 0 && (
        <div class="row">
          <select aria-label={`Add a member to ${workspace.name}`} value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
            <option value="">Add a member…</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username} ({u.role})
              </option>
            ))}
          </select>
          <button
            type="button"
            class="btn btn-small"
            disabled={busy || !pick}
            onClick={() => {
              onAdd(pick);
              setPick('');
            }}
          >
            Add
          </button>
        </div>
      )}
    </div>
  );
}

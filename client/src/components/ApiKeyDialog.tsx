/**
 * Asks for an API key when the server refuses a request for want of one (401 UNAUTHENTICATED: a team
 * server that needs keys for reads, or a key that was revoked). The key is checked with the server
 * before it is kept (api.setApiKey: sessionStorage, this tab only); every request then carries it.
 * A native modal <dialog>: focus and Escape are the browser's, and it needs no stylesheet of its own.
 */
import { useEffect, useRef, useState } from 'react';
import * as api from '../api';

export function ApiKeyDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [why, setWhy] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => api.onKeyNeeded((message) => setWhy(message)), []);
  useEffect(() => {
    const d = dialog.current;
    if (why !== null && d && !d.open) d.showModal();
  }, [why]);

  const close = () => {
    dialog.current?.close();
    setWhy(null);
    setError(null);
    setKey('');
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const candidate = key.trim();
    if (!candidate) return;
    setBusy(true);
    setError(null);
    try {
      await api.checkApiKey(candidate);
      api.setApiKey(candidate);
      close();
    } catch (err) {
      setError(err instanceof api.ApiError && err.code === 'UNAUTHENTICATED' ? 'The server does not accept this key.' : api.describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="api-key-title" data-testid="api-key-dialog" onClose={() => setWhy(null)}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="api-key-title">API key needed</h2>
        <p>{why}</p>
        <p className="muted">Your key is kept in this tab only, and sent only to this server.</p>
        <label>
          API key{' '}
          <input type="password" autoComplete="off" spellCheck={false} value={key} onChange={(e) => setKey(e.target.value)} data-testid="api-key-input" autoFocus />
        </label>
        {error && (
          <p role="alert" data-testid="api-key-error">
            {error}
          </p>
        )}
        <div>
          <button type="submit" disabled={busy || !key.trim()} data-testid="api-key-submit">
            Use this key
          </button>{' '}
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

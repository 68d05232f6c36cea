/**
 * The investigation in the URL fragment (url-state.ts): restored once the server is ready, and again when
 * a link is pasted into this tab (a fragment change does not reload the page); mirrored back with
 * replaceState (the browser history is not flooded) whenever it changes, except while a restore is
 * under way.
 */
import { useEffect, useRef } from 'react';
import { decodeUrlState, encodeUrlState, UrlState } from '../url-state';

/**
 * @param ready the server can answer: restore then, once
 * @param current what the URL should hold now
 * @param paused a restore is loading: do not write a half-restored state into the URL
 * @param restore applies a state read from the URL
 */
export function useUrlState(ready: boolean, current: UrlState, paused: boolean, restore: (u: UrlState) => void): void {
  const restored = useRef(false);
  const lastHash = useRef<string | null>(null);
  const restoreRef = useRef(restore);
  restoreRef.current = restore;

  useEffect(() => {
    const restoreFrom = (hash: string) => {
      lastHash.current = hash.replace(/^#/, '');
      restoreRef.current(decodeUrlState(hash));
    };
    if (ready && !restored.current) {
      restored.current = true;
      restoreFrom(window.location.hash);
    }
    const onHash = () => {
      if (restored.current && window.location.hash.replace(/^#/, '') !== lastHash.current) restoreFrom(window.location.hash);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [ready]);

  const hash = encodeUrlState(current);
  useEffect(() => {
    if (!restored.current || paused) return;
    lastHash.current = hash;
    const url = `${window.location.pathname}${window.location.search}${hash ? `#${hash}` : ''}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url);
  }, [hash, paused]);
}

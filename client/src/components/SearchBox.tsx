/**
 * Type-ahead search (debounced) over the API's search: each result shows name, kind, programs,
 * datasets, the matched alias and the score. Arrow keys move, Enter or a click picks.
 *
 * The keyboard's row (`active`) and the mouse's are kept apart: hover only tints a row (CSS :hover).
 * Otherwise a pointer resting where the list opens would make the row under it the one Enter picks,
 * though the user never moved the mouse and sees the top hit marked.
 */
import { useEffect, useId, useRef, useState } from 'react';
import * as api from '../api';
import { KindIcon } from './Legend';

export const DEBOUNCE_MS = 250;

interface Props {
  filters: api.SearchFilters;
  placeholder?: string;
  label: string;
  compact?: boolean;
  autoFocusKey?: string;
  onPick(hit: api.SearchHit): void;
  inputRef?: React.RefObject<HTMLInputElement | null>;
  testId?: string;
}

export function SearchBox({ filters, placeholder, label, compact, onPick, inputRef, testId }: Props) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<api.SearchResults | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputId = useId();
  const abort = useRef<AbortController | null>(null);
  const ownInput = useRef<HTMLInputElement | null>(null);
  const filterKey = JSON.stringify(filters);

  /** What the query needs before it can be searched: shown once the user has typed or pressed Enter. */
  const [asked, setAsked] = useState(false);
  const [focused, setFocused] = useState(false);
  const q = text.trim();
  const hint =
    q.length >= api.MIN_QUERY_LENGTH
      ? text.length >= api.MAX_QUERY_LENGTH
        ? `Queries are limited to ${api.MAX_QUERY_LENGTH} characters (the server's limit): the rest was left out. A name or an alias is enough.`
        : null
      : asked
        ? q.length === 0
          ? `Type a name, alias or vessel to search (at least ${api.MIN_QUERY_LENGTH} characters).`
          : `Type at least ${api.MIN_QUERY_LENGTH} characters: one letter matches too many parties to rank.`
        : null;

  useEffect(() => {
    if (q.length < api.MIN_QUERY_LENGTH) {
      setResults(null);
      setError(null);
      return;
    }
    const t = setTimeout(async () => {
      abort.current?.abort();
      const ctl = new AbortController();
      abort.current = ctl;
      setBusy(true);
      try {
        const r = await api.search(q, filters, compact ? 8 : 15, ctl.signal);
        setResults(r);
        setError(null);
        setActive(0);
        setOpen(true);
      } catch (e) {
        if ((e as Error).name !== 'AbortError') {
          setError(api.describeError(e));
          setResults(null);
          setOpen(true);
        }
      } finally {
        if (abort.current === ctl) setBusy(false);
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, filterKey]);

  const pick = (hit: api.SearchHit) => {
    onPick(hit);
    setOpen(false);
    // The keyboard goes back to the page: E, H, Delete... act on the party just added, not type into the box.
    ownInput.current?.blur();
    if (compact) setText(hit.entity.name);
  };

  const onKey = (e: React.KeyboardEvent) => {
    const hits = results?.hits ?? [];
    if (e.key === 'ArrowDown') {
      setOpen(true);
      setActive((a) => Math.min(a + 1, hits.length - 1));
      e.preventDefault();
    } else if (e.key === 'ArrowUp') {
      setActive((a) => Math.max(a - 1, 0));
      e.preventDefault();
    } else if (e.key === 'Enter' && q.length < api.MIN_QUERY_LENGTH) {
      setAsked(true);
      e.preventDefault();
    } else if (e.key === 'Enter' && hits[active]) {
      pick(hits[active]);
      e.preventDefault();
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const listShown = open && !!(error || results) && q.length >= api.MIN_QUERY_LENGTH;
  const hintBox = (
    <div className={listShown ? 'search-message search-hint-in' : 'search-hint'} role="status" data-testid={testId ? `${testId}-hint` : undefined}>
      {hint}
    </div>
  );

  return (
    <div className={compact ? 'search compact' : 'search'} data-testid={testId}>
      <label htmlFor={inputId} className={compact ? 'visually-hidden' : 'search-label visually-hidden'}>
        {label}
      </label>
      <input
        id={inputId}
        ref={(el) => {
          ownInput.current = el;
          if (inputRef) inputRef.current = el;
        }}
        type="search"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && results?.hits[active] ? `${listId}-${active}` : undefined}
        placeholder={placeholder}
        value={text}
        autoComplete="off"
        spellCheck={false}
        maxLength={api.MAX_QUERY_LENGTH}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim()) setAsked(true);
        }}
        onFocus={() => {
          setFocused(true);
          if (results) setOpen(true);
        }}
        onBlur={() => {
          setFocused(false);
          setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKey}
      />
      {busy && <span className="spinner" aria-label="searching" />}
      {hint && focused && !listShown && hintBox}
      {listShown && (
        <div className="search-results" id={listId} role="listbox" aria-label={`${label} results`}>
          {hint && hintBox}
          {error && <div className="search-message error" role="alert">{error}</div>}
          {results?.nameLookup === 'FULL_TEXT' && (
            <div className="search-message muted" data-testid={testId ? `${testId}-full-text` : undefined}>
              Name index being built: full-text search meanwhile; names in other scripts may be missed.
            </div>
          )}
          {results && results.hits.length > 0 && (
            <div className="search-message muted search-count" data-testid={testId ? `${testId}-count` : undefined}>
              {results.total.toLocaleString('en')} {results.total === 1 ? 'party matches' : 'parties match'}
              {results.total > results.hits.length ? `; the best ${results.hits.length} below` : ''}
            </div>
          )}
          {results && results.hits.length === 0 && (
            <div className="search-message">No party matches “{text.trim()}”{Object.values(filters).some((f) => f?.length) ? ' with these filters' : ''}.</div>
          )}
          {results?.hits.map((h, i) => (
            <div
              key={h.entity.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hit active' : 'hit'}
              data-id={h.entity.id}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(h)}
            >
              <KindIcon kind={h.entity.kind} />
              <div className="hit-main">
                <div className="hit-name">
                  {h.entity.name}
                  {h.entity.delistedOn && <span className="tag muted">delisted {h.entity.delistedOn}</span>}
                  {h.entity.placeholder && <span className="tag muted">referenced only</span>}
                </div>
                {h.matchedName !== h.entity.name && <div className="hit-alias">matched “{h.matchedName}”</div>}
                <HitFacts hit={h} />
                {!compact && (
                  <div className="hit-meta">
                    <span>{h.entity.kind}</span>
                    {h.entity.programs.slice(0, 4).map((p) => (
                      <span key={p} className="tag">{p}</span>
                    ))}
                    {h.entity.datasets.map((d) => (
                      <span key={d} className="tag dataset">{d}</span>
                    ))}
                  </div>
                )}
              </div>
              <div className="hit-score" title="Name similarity, 0 to 1">
                {h.score.toFixed(2)}
              </div>
            </div>
          ))}
          {results && results.total > results.hits.length && (
            <div className="search-message muted">
              {results.hits.length} of {results.total} shown; refine the query or the filters.
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * What tells apart parties whose names look alike (many a KIM): birth dates, nationalities and the
 * countries of their addresses, each once.
 */
function HitFacts({ hit }: { hit: api.SearchHit }) {
  const e = hit.entity;
  const countries = [...new Set(e.addresses.map((a) => a.country).filter((c): c is string => !!c))];
  const nationalities = [...new Set(e.nationalities)];
  if (!e.birthDates.length && !nationalities.length && !countries.length) return null;
  return (
    <div className="hit-facts">
      {e.birthDates.length > 0 && <span title="Date of birth">b. {e.birthDates.slice(0, 2).join('; ')}</span>}
      {nationalities.length > 0 && <span title="Nationality">{nationalities.slice(0, 3).join(', ')}</span>}
      {countries.length > 0 && <span title="Countries of the addresses">in {countries.slice(0, 3).join(', ')}{countries.length > 3 ? '…' : ''}</span>}
    </div>
  );
}

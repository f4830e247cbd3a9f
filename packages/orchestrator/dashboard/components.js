import { html } from './html.js';
import { useEffect, useState, useCallback } from 'preact/hooks';
import { call } from './api.js';

/**
 * Loads `path` from the API and again every `refreshMs` (0: once); `reload()` forces it.
 * Returns { data, error, reload }.
 */
export function useApi(path, refreshMs = 0) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const load = useCallback(() => {
    if (!path) return;
    call('GET', path).then(
      (data) => setState({ data, error: undefined }),
      (error) => setState((s) => ({ data: s.data, error })),
    );
  }, [path]);
  useEffect(() => {
    load();
    if (!refreshMs) return undefined;
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, [load, refreshMs]);
  return { ...state, reload: load };
}

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

export function State({ value }) {
  return html`<span class=${`state state-${value}`}>${value}</span>`;
}

export function ErrorLine({ error }) {
  if (!error) return null;
  return html`<p class="error">${error.status ? `${error.status} ` : ''}${error.message}</p>`;
}

/** Columns: [{ title, cell: (row) => content }]. */
export function Table({ columns, rows, empty = 'nothing yet' }) {
  if (!rows) return html`<p class="muted">loading…</p>`;
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${columns.map((c) => html`<th>${c.title}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${columns.map((c) => html`<td>${c.cell(r)}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Previous / next over the API's offset pagination. */
export function Pager({ offset, nextOffset, limit, onChange }) {
  return html`<div class="pager">
    <button disabled=${offset === 0} onClick=${() => onChange(Math.max(0, offset - limit))}>previous</button>
    <span class="muted">from ${offset + 1}</span>
    <button disabled=${nextOffset === null || nextOffset === undefined} onClick=${() => onChange(nextOffset)}>
      next
    </button>
  </div>`;
}

/** A campaign's progress: succeeded, failed and cancelled parts of the targets that get an operation. */
export function Progress({ p }) {
  const total = Math.max(1, p.targets - p.skipped);
  const part = (n, cls) => html`<span class=${cls} style=${`width:${(100 * n) / total}%`}></span>`;
  return html`<div
    class="progress"
    title=${`${p.succeeded} succeeded, ${p.failed} failed, ${p.cancelled} cancelled, ${p.inFlight} in flight, ${p.waiting} waiting, ${p.skipped} skipped`}
  >
    ${part(p.succeeded, 'ok')}${part(p.failed, 'bad')}${part(p.cancelled, 'off')}${part(p.inFlight, 'busy')}
  </div>`;
}

/** A button that runs an API call, shows its error, and tells the page to reload. */
export function Action({ label, run, onDone, confirm: question }) {
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const click = async () => {
    if (question && !window.confirm(question)) return;
    setBusy(true);
    setError(undefined);
    try {
      await run();
      onDone?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<span class="action"
    ><button disabled=${busy} onClick=${click}>${label}</button>${
      error ? html`<span class="error"> ${error.message}</span>` : null
    }</span
  >`;
}

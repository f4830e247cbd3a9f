import { html } from '../html.js';
import { call } from '../api.js';
import { Action, ErrorLine, Progress, State, Table, useApi, when } from '../components.js';

/** The moves a campaign in each state allows. */
const movesFrom = {
  draft: ['start', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
};

const Moves = ({ c, onDone }) =>
  (movesFrom[c.state] ?? []).map(
    (m) =>
      html`<${Action}
        label=${m}
        confirm=${m === 'cancel' ? `Cancel campaign ${c.name}?` : undefined}
        run=${() => call('POST', `/campaigns/${c.id}/${m}`)}
        onDone=${onDone}
      />`,
  );

/** Campaigns, newest first (created with the API or `esimctl campaign create`). */
export function Campaigns() {
  const list = useApi('/campaigns?limit=100', 3000);
  return html`<section>
    <p class="muted">
      Create campaigns with <code>POST /api/v1/campaigns</code> or <code>esimctl campaign create</code>.
    </p>
    <${ErrorLine} error=${list.error} />
    <${Table}
      rows=${list.data?.items}
      empty="no campaign yet"
      columns=${[
        { title: 'name', cell: (c) => html`<a href=${`#/campaigns/${c.id}`}>${c.name}</a>` },
        { title: 'state', cell: (c) => html`<${State} value=${c.state} />` },
        { title: 'operation', cell: (c) => c.operation.type },
        { title: 'pace', cell: (c) => `${c.ratePerMinute}/min, ${c.maxInFlight} in flight` },
        { title: 'created', cell: (c) => `${when(c.createdAt)} by ${c.createdBy}` },
        { title: '', cell: (c) => html`<${Moves} c=${c} onDone=${list.reload} />` },
      ]}
    />
  </section>`;
}

/** One campaign: its progress, definition and targets. */
export function Campaign({ id }) {
  const c = useApi(`/campaigns/${id}`, 2000);
  const targets = useApi(`/campaigns/${id}/targets?limit=100`, 2000);
  const v = c.data;
  return html`<section>
    <${ErrorLine} error=${c.error} />
    ${
      v &&
      html`<h2>${v.name} <${State} value=${v.state} /></h2>
        <${Moves} c=${v} onDone=${c.reload} />
        <${Progress} p=${v.progress} />
        <p>
          ${v.progress.succeeded} succeeded · ${v.progress.failed} failed · ${v.progress.cancelled} cancelled
          · ${v.progress.inFlight} in flight · ${v.progress.waiting} waiting · ${v.progress.skipped} skipped,
          of ${v.progress.targets}
        </p>
        ${v.endReason && html`<p>ended: <code>${JSON.stringify(v.endReason)}</code></p>`}
        <pre>
${JSON.stringify({ operation: v.operation, selector: v.selector, abort: v.abort }, null, 2)}</pre>
        <h3>Targets (first 100)</h3>
        <${Table}
          rows=${targets.data?.items}
          columns=${[
            { title: 'EID', cell: (t) => html`<a href=${`#/devices/${t.deviceId}`}>${t.eid}</a>` },
            { title: 'state', cell: (t) => html`<${State} value=${t.state} />` },
            { title: 'why skipped', cell: (t) => t.skipped?.message ?? '' },
          ]}
        />`
    }
  </section>`;
}

import { html } from '../html.js';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { Action, ErrorLine, Pager, State, Table, useApi, when } from '../components.js';

const LIMIT = 50;
const STATES = ['pending', 'sent', 'succeeded', 'failed', 'expired', 'cancelled'];

/** Operations of both stacks, newest first, filtered by state; pending and sent ones can be cancelled. */
export function Operations() {
  const [state, setState] = useState('');
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  if (state) query.set('state', state);
  const ops = useApi(`/operations?${query}`, 3000);
  return html`<section>
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <select
        onChange=${(e) => {
          setOffset(0);
          setState(e.target.value);
        }}
      >
        <option value="">any state</option>
        ${STATES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </form>
    <${ErrorLine} error=${ops.error} />
    <${Table}
      rows=${ops.data?.items}
      columns=${[
        { title: 'state', cell: (o) => html`<${State} value=${o.state} />` },
        { title: 'type', cell: (o) => o.type },
        { title: 'params', cell: (o) => html`<code>${JSON.stringify(o.params)}</code>` },
        { title: 'stack', cell: (o) => o.stack },
        {
          title: 'eUICC',
          cell: (o) => (o.deviceId ? html`<a href=${`#/devices/${o.deviceId}`}>${o.eid}</a>` : o.eid),
        },
        { title: 'by', cell: (o) => o.requestedBy },
        { title: 'error', cell: (o) => o.error?.message ?? '' },
        { title: 'updated', cell: (o) => when(o.updatedAt) },
        {
          title: '',
          cell: (o) =>
            o.state === 'pending' || o.state === 'sent'
              ? html`<${Action}
                  label="cancel"
                  run=${() => call('POST', `/operations/${o.id}/cancel`)}
                  onDone=${ops.reload}
                />`
              : null,
        },
      ]}
    />
    <${Pager} offset=${offset} limit=${LIMIT} nextOffset=${ops.data?.nextOffset} onChange=${setOffset} />
  </section>`;
}

import { html } from '../html.js';
import { ErrorLine, State, Table, useApi, when } from '../components.js';

const Counts = ({ title, counts }) =>
  html`<div class="card">
    <h3>${title}</h3>
    ${
      Object.entries(counts ?? {}).length === 0
        ? html`<p class="muted">none</p>`
        : html`<dl>
            ${Object.entries(counts).map(
              ([k, v]) =>
                html`<dt><${State} value=${k} /></dt>
                  <dd>${v}</dd>`,
            )}
          </dl>`
    }
  </div>`;

/** The fleet at a glance, refreshed every few seconds. */
export function Overview() {
  const summary = useApi('/summary', 3000);
  const running = useApi('/campaigns?state=running&limit=10', 3000);
  const recent = useApi('/operations?limit=15', 3000);
  const s = summary.data;
  return html`<section>
    <${ErrorLine} error=${summary.error} />
    ${
      s &&
      html`<div class="cards">
        <div class="card">
          <h3>Devices</h3>
          <p class="big">${s.devices.total}</p>
          <dl>
            ${Object.entries(s.devices.byStack).map(
              ([k, v]) =>
                html`<dt>${k}</dt>
                  <dd>${v}</dd>`,
            )}
          </dl>
        </div>
        <${Counts} title="Profiles" counts=${s.profiles.byState} />
        <${Counts} title="Operations" counts=${s.operations.byState} />
        <${Counts} title="Operations, last day" counts=${s.operations.lastDay} />
        <div class="card">
          <h3>Operators</h3>
          <dl>
            ${s.profiles.byOperator.map(
              (o) =>
                html`<dt>${o.operator}</dt>
                  <dd>${o.enabled} enabled / ${o.total}</dd>`,
            )}
          </dl>
        </div>
        <div class="card">
          <h3>Events, last day</h3>
          <p class="big">${s.events.lastDay}</p>
        </div>
      </div>`
    }
    <h2>Running campaigns</h2>
    <${Table}
      rows=${running.data?.items}
      empty="no campaign running"
      columns=${[
        { title: 'name', cell: (c) => html`<a href=${`#/campaigns/${c.id}`}>${c.name}</a>` },
        { title: 'operation', cell: (c) => c.operation.type },
        { title: 'started', cell: (c) => when(c.startedAt) },
      ]}
    />
    <h2>Latest operations</h2>
    <${Table}
      rows=${recent.data?.items}
      columns=${[
        { title: 'state', cell: (o) => html`<${State} value=${o.state} />` },
        { title: 'type', cell: (o) => o.type },
        { title: 'stack', cell: (o) => o.stack },
        {
          title: 'eUICC',
          cell: (o) => (o.deviceId ? html`<a href=${`#/devices/${o.deviceId}`}>${o.eid}</a>` : o.eid),
        },
        { title: 'by', cell: (o) => o.requestedBy },
        { title: 'updated', cell: (o) => when(o.updatedAt) },
      ]}
    />
  </section>`;
}

import { html } from '../html.js';
import { call } from '../api.js';
import { Action, ErrorLine, State, Table, useApi, when } from '../components.js';

/** What a timeline entry says, in one line. */
const describe = (t) =>
  t.kind === 'event'
    ? `event ${t.event.type} from ${t.event.source}`
    : `${t.audit.action}${t.audit.toState ? ` -> ${t.audit.toState}` : ''} by ${t.audit.actor}`;

/** One device: its eUICC, profiles (with the operations an operator may ask for), open operations, timeline. */
export function Device({ id }) {
  const view = useApi(`/devices/${id}/view?timelineLimit=50`, 3000);
  const v = view.data;
  const ask = (type, params) => () => call('POST', '/operations', { deviceId: id, type, params });
  return html`<section>
    <${ErrorLine} error=${view.error} />
    ${
      v &&
      html`<h2>${v.device.externalId ?? v.device.id}</h2>
        <p>
          EID <code>${v.device.eid ?? 'none'}</code> · stack <b>${v.stack ?? 'none'}</b> ·
          ${v.device.country ?? 'no country'} · tags ${v.device.tags.join(', ') || 'none'}
          ${v.euicc?.smsrId ? html` · SM-SR ${v.euicc.smsrId}` : null}
          ${v.euicc?.eimId ? html` · eIM ${v.euicc.eimId}` : null}
        </p>
        ${v.stack && html`<${Action} label="audit" run=${ask('audit', {})} onDone=${view.reload} />`}
        <h3>Profiles</h3>
        <${Table}
          rows=${v.profiles}
          columns=${[
            { title: 'ICCID', cell: (p) => html`<code>${p.iccid}</code>` },
            { title: 'operator', cell: (p) => p.operator ?? '' },
            {
              title: 'state',
              cell: (p) => html`<${State} value=${p.state} />${p.fallback ? ' fallback' : ''}`,
            },
            {
              title: '',
              cell: (p) =>
                p.state === 'disabled'
                  ? html`<${Action}
                        label="enable"
                        run=${ask('enable', { iccid: p.iccid })}
                        onDone=${view.reload}
                      />
                      <${Action}
                        label="delete"
                        confirm=${`Delete profile ${p.iccid}?`}
                        run=${ask('delete', { iccid: p.iccid })}
                        onDone=${view.reload}
                      />`
                  : p.state === 'enabled'
                    ? html`<${Action}
                        label="disable"
                        run=${ask('disable', { iccid: p.iccid })}
                        onDone=${view.reload}
                      />`
                    : null,
            },
          ]}
        />
        <h3>Open operations</h3>
        <${Table}
          rows=${v.openOperations}
          empty="none"
          columns=${[
            { title: 'state', cell: (o) => html`<${State} value=${o.state} />` },
            { title: 'type', cell: (o) => `${o.type} ${JSON.stringify(o.params)}` },
            { title: 'attempts', cell: (o) => `${o.attempts}/${o.maxAttempts}` },
            {
              title: '',
              cell: (o) =>
                html`<${Action}
                  label="cancel"
                  run=${() => call('POST', `/operations/${o.id}/cancel`)}
                  onDone=${view.reload}
                />`,
            },
          ]}
        />
        <h3>Timeline</h3>
        <${Table}
          rows=${v.timeline}
          columns=${[
            { title: 'when', cell: (t) => when(t.at) },
            { title: 'what', cell: describe },
          ]}
        />`
    }
  </section>`;
}

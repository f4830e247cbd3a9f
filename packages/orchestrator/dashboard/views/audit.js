import { html } from '../html.js';
import { ErrorLine, Table, useApi, when } from '../components.js';

/** The audit log's newest entries: who did what, when, why. */
export function Audit() {
  const audit = useApi('/audit?limit=100', 3000);
  return html`<section>
    <${ErrorLine} error=${audit.error} />
    <${Table}
      rows=${audit.data?.items}
      columns=${[
        { title: 'when', cell: (a) => when(a.at) },
        { title: 'who', cell: (a) => a.actor },
        { title: 'what', cell: (a) => a.action },
        { title: 'on', cell: (a) => `${a.entityType} ${a.entityId}` },
        { title: 'move', cell: (a) => (a.toState ? `${a.fromState ?? ''} -> ${a.toState}` : '') },
        { title: 'why', cell: (a) => html`<code>${JSON.stringify(a.reason)}</code>` },
      ]}
    />
  </section>`;
}

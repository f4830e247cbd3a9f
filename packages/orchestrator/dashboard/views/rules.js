import { html } from '../html.js';
import { ErrorLine, State, Table, useApi } from '../components.js';

/** The business rules: what each event type makes happen (changed through the API, admin role). */
export function Rules() {
  const rules = useApi('/rules?limit=200');
  return html`<section>
    <${ErrorLine} error=${rules.error} />
    <${Table}
      rows=${rules.data?.items}
      empty="no rule yet"
      columns=${[
        { title: 'name', cell: (r) => r.name },
        { title: 'event', cell: (r) => html`<code>${r.eventType}</code>` },
        { title: 'stack', cell: (r) => r.stack },
        { title: 'priority', cell: (r) => r.priority },
        { title: 'enabled', cell: (r) => html`<${State} value=${r.enabled ? 'enabled' : 'disabled'} />` },
        { title: 'version', cell: (r) => r.version },
        { title: 'actions', cell: (r) => r.actions.map((a) => a.type).join(', ') },
      ]}
    />
  </section>`;
}

import { html } from '../html.js';
import { useState } from 'preact/hooks';
import { ErrorLine, Pager, Table, useApi } from '../components.js';

const LIMIT = 50;

/** The device list with the API's filters (stack, tag, country, EID). */
export function Devices() {
  const [filters, setFilters] = useState({ stack: '', tag: '', country: '', eid: '' });
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ limit: String(LIMIT), offset: String(offset) });
  for (const [k, v] of Object.entries(filters)) if (v) query.set(k, v);
  const devices = useApi(`/devices?${query}`);
  const set = (k) => (e) => {
    setOffset(0);
    setFilters({ ...filters, [k]: e.target.value.trim() });
  };
  return html`<section>
    <form class="filters" onSubmit=${(e) => e.preventDefault()}>
      <select onChange=${set('stack')}>
        <option value="">any stack</option>
        <option value="sgp02">SGP.02</option>
        <option value="sgp32">SGP.32</option>
      </select>
      <input placeholder="tag" onChange=${set('tag')} />
      <input placeholder="country (FR)" onChange=${set('country')} />
      <input placeholder="EID" onChange=${set('eid')} />
    </form>
    <${ErrorLine} error=${devices.error} />
    <${Table}
      rows=${devices.data?.items}
      empty="no device matches"
      columns=${[
        { title: 'device', cell: (d) => html`<a href=${`#/devices/${d.id}`}>${d.externalId ?? d.id}</a>` },
        { title: 'EID', cell: (d) => d.eid ?? '' },
        { title: 'country', cell: (d) => d.country ?? '' },
        { title: 'tags', cell: (d) => d.tags.join(', ') },
      ]}
    />
    <${Pager} offset=${offset} limit=${LIMIT} nextOffset=${devices.data?.nextOffset} onChange=${setOffset} />
  </section>`;
}

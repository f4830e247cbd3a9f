import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { setToken, takeTokenFromAddress, token } from './api.js';
import { Overview } from './views/overview.js';
import { Devices } from './views/devices.js';
import { Device } from './views/device.js';
import { Operations } from './views/operations.js';
import { Campaign, Campaigns } from './views/campaigns.js';
import { Rules } from './views/rules.js';
import { Audit } from './views/audit.js';

const tabs = [
  ['#/', 'Overview'],
  ['#/devices', 'Devices'],
  ['#/operations', 'Operations'],
  ['#/campaigns', 'Campaigns'],
  ['#/rules', 'Rules'],
  ['#/audit', 'Audit'],
];

/** `#/devices/<id>` -> the view and its parameters. */
function route(hash) {
  const [, page = '', id] = hash.replace(/^#\/?/, '').match(/^([a-z]*)\/?(.*)$/) ?? [];
  if (page === 'devices' && id) return html`<${Device} id=${id} />`;
  if (page === 'devices') return html`<${Devices} />`;
  if (page === 'operations') return html`<${Operations} />`;
  if (page === 'campaigns' && id) return html`<${Campaign} id=${id} />`;
  if (page === 'campaigns') return html`<${Campaigns} />`;
  if (page === 'rules') return html`<${Rules} />`;
  if (page === 'audit') return html`<${Audit} />`;
  return html`<${Overview} />`;
}

function SignIn({ onToken }) {
  return html`<form
    class="signin"
    onSubmit=${(e) => {
      e.preventDefault();
      onToken(new FormData(e.target).get('token').trim());
    }}
  >
    <h2>API token</h2>
    <p class="muted">
      A viewer token reads; an operator token also acts. Create one with
      <code>esimctl token create --role operator</code>.
    </p>
    <input name="token" type="password" placeholder="esim_..." autofocus />
    <button>open</button>
  </form>`;
}

function App() {
  const [hash, setHash] = useState(location.hash || '#/');
  const [signedIn, setSignedIn] = useState(Boolean(token()));
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const signOut = () => {
    setToken(undefined);
    setSignedIn(false);
  };
  return html`<header>
      <b>esim-orchestrator</b>
      <nav>
        ${tabs.map(([href, title]) => html`<a class=${hash.startsWith(href) && (href !== '#/' || hash === '#/') ? 'on' : ''} href=${href}>${title}</a>`)}
      </nav>
      ${signedIn && html`<button class="link" onClick=${signOut}>sign out</button>`}
    </header>
    <main>
      ${
        signedIn
          ? route(hash)
          : html`<${SignIn}
              onToken=${(t) => {
                setToken(t);
                setSignedIn(true);
              }}
            />`
      }
    </main>`;
}

takeTokenFromAddress();
render(html`<${App} />`, document.body);

// The REST API as the dashboard calls it: the bearer token is kept for the browser session only.
const TOKEN_KEY = 'esim-token';

/**
 * A token in the address (`#token=...`, as the demo prints it, or `#/devices/<id>&token=...`) is
 * taken once and removed from it; the rest of the fragment is the page to open.
 */
export function takeTokenFromAddress() {
  const m = location.hash.match(/[#&]token=([^&]+)/);
  if (!m) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
  const rest = location.hash.replace(m[0], '').replace(/^#?/, '#');
  history.replaceState(null, '', location.pathname + (rest.length > 1 ? rest : '#/'));
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (t) =>
  t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error;
    this.details = body?.details;
  }
}

/** `call('GET', '/devices?limit=50')` -> the JSON answer, or throws ApiError with the API's message. */
export async function call(method, path, body) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** An answer of the REST API that is not a success, as one line a user can act on. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
}

/**
 * The REST API as esimctl's remote commands use it: bearer token, JSON in and out, an error
 * answer turned into its message (`error: message (details)`).
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (!this.token)
      throw new ApiCallError(
        'no API token: pass --token or set ESIM_API_TOKEN (esimctl token create --role operator)',
      );
    let res: Response;
    try {
      res = await fetch(new URL(`/api/v1${path}`, this.baseUrl), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiCallError(
        `cannot reach the API at ${this.baseUrl}: ${(e as Error).cause ?? (e as Error).message}`,
      );
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const e = json as { error?: string; message?: string; details?: unknown } | undefined;
      const details = e?.details === undefined ? '' : ` ${JSON.stringify(e.details)}`;
      throw new ApiCallError(`${res.status} ${e?.error ?? res.statusText}: ${e?.message ?? text}${details}`);
    }
    return json as T;
  }
}

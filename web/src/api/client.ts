// Every call to the API: the bearer token on each request, JSON in and out, and the
// server's 4xx body ({ error, issues }) turned into an ApiError a form can show.
import type { ErrorBody } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class Api {
  /** Called once when the server refuses the token (401). */
  onUnauthorized: (() => void) | undefined;

  constructor(readonly token: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  async json<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const res = await this.request(path, init);
    return (await res.json()) as T;
  }

  async text(path: string, signal?: AbortSignal): Promise<string> {
    return (await this.request(path, { signal })).text();
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(path, { method: 'POST', body });
  }

  private async request(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal }): Promise<Response> {
    const headers = this.headers(init.body === undefined ? {} : { 'content-type': 'application/json' });
    let res: Response;
    try {
      res = await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, `the server cannot be reached (${(e as Error).message})`);
    }
    if (res.ok) return res;
    if (res.status === 401) this.onUnauthorized?.();
    throw await errorOf(res);
  }
}

export async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const message = typeof body?.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
  return new ApiError(res.status, message, Array.isArray(body?.issues) ? body.issues : []);
}

import { apiKeyStore } from './api-key.store';

/** A refused or failed call, with the API's problem details when it sent some. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface ProblemDetails {
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
}

/** Listeners told when the key was refused (401), so the page can ask for it again. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request(path: string, init: RequestInit = {}, accept = 'application/json') {
  const key = apiKeyStore.get();
  const response = await fetch(path, {
    ...init,
    headers: { Accept: accept, ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    // The key travels in the header only; no cookies are involved.
    credentials: 'omit',
  }).catch((cause: unknown) => {
    throw new ApiError(0, 'NETWORK', `the platform did not answer (${String(cause)})`);
  });
  if (response.ok) return response;
  const problem = (await response.json().catch(() => ({}))) as ProblemDetails;
  if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
  throw new ApiError(
    response.status,
    problem.code,
    problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`,
  );
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export async function postJson<T>(path: string): Promise<T> {
  return (await (await request(path, { method: 'POST' })).json()) as T;
}

export async function getCsv(path: string): Promise<Blob> {
  return (await request(path, {}, 'text/csv')).blob();
}

/** What to tell the analyst about a failed call, in words. */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return `Something went wrong: ${String(error)}`;
  switch (error.status) {
    case 0:
      return `The platform cannot be reached: ${error.detail}.`;
    case 401:
      return 'The API key was refused. Enter a valid key.';
    case 403:
      return `This API key may not do that: ${error.detail}.`;
    case 404:
      return `Not found: ${error.detail}.`;
    case 410:
      return 'The list changed since this page was read (its snapshot is gone). Start again from the first page.';
    case 503:
      return 'The views are catching up with the latest events. Try again in a few seconds.';
    default:
      return `The API answered ${error.status}: ${error.detail}.`;
  }
}

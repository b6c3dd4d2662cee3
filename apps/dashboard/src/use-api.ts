import { useLayoutEffect, useState } from 'preact/hooks';
import { describeError, getJson } from './api.client';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string; readonly status?: number }
  | { readonly state: 'ready'; readonly data: T };

/**
 * GETs `path` (null: nothing to load) and follows it as it changes; stale answers are dropped.
 * The request starts in a layout effect, right after the render that asks for it: a plain
 * effect waits until the browser has painted the loading state. On the overview that moved its
 * three requests 0–40 ms earlier (bench:dashboard, before/after alternated on a loaded machine).
 */
export function useApi<T>(path: string | null, reload = 0): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useLayoutEffect(() => {
    if (path === null) return;
    let current = true;
    setLoaded({ state: 'loading' });
    getJson<T>(path).then(
      (data) => current && setLoaded({ state: 'ready', data }),
      (error: unknown) =>
        current &&
        setLoaded({
          state: 'error',
          message: describeError(error),
          status: (error as { status?: number }).status,
        }),
    );
    return () => {
      current = false;
    };
  }, [path, reload]);
  return loaded;
}

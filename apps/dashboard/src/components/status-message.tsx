import type { ComponentChildren } from 'preact';
import type { Loaded } from '../use-api';

/** Loading and error states in words, so that no chart or table is ever silently blank. */
export function Status<T>({
  loaded,
  what,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.state === 'loading')
    return (
      <p class="status" role="status" aria-live="polite">
        Loading {what}…
      </p>
    );
  if (loaded.state === 'error')
    return (
      <p class={loaded.status === 503 ? 'status warming' : 'status error'} role="alert">
        {what[0].toUpperCase() + what.slice(1)}: {loaded.message}
      </p>
    );
  return <>{children(loaded.data)}</>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="status empty">{children}</p>;
}

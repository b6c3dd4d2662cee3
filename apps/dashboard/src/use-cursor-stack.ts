import { useState } from 'preact/hooks';

/**
 * Where a cursor-paged list is: the cursors of the pages before this one. "Next" pushes the
 * page's `nextCursor`, "previous" pops, and a new filter starts again from the first page.
 */
export interface CursorStack {
  /** The cursor to read this page with; undefined on the first page. */
  readonly cursor: string | undefined;
  /** 1 on the first page. */
  readonly pageNumber: number;
  previous(): void;
  next(cursor: string): void;
  reset(): void;
}

export function useCursorStack(): CursorStack {
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    pageNumber: cursors.length + 1,
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (cursor) => setCursors([...cursors, cursor]),
    reset: () => setCursors([]),
  };
}

import type { CursorStack } from '../use-cursor-stack';

/**
 * Previous and next page of a cursor-paged list, and where the reader is: "Page 3 of 12" where
 * the list says how many rows it has, "Page 3" where it does not (the signals ledger).
 */
export function Pager({
  pages,
  nextCursor,
  pageCount,
  label = 'Pages',
  previousLabel = 'Previous page',
  nextLabel = 'Next page',
}: {
  pages: CursorStack;
  /** The page's `nextCursor`; absent on the last page. */
  nextCursor: string | null | undefined;
  pageCount?: number;
  label?: string;
  previousLabel?: string;
  nextLabel?: string;
}) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={pages.pageNumber === 1} onClick={pages.previous}>
        {previousLabel}
      </button>
      <span data-testid="page-number">
        Page {pages.pageNumber}
        {pageCount === undefined ? '' : ` of ${Math.max(1, pageCount)}`}
      </span>
      <button
        type="button"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        {nextLabel}
      </button>
    </nav>
  );
}

import { badRequest } from '@rapport/http';

/**
 * Keyset cursor: the sort value and customer id of the last row of a page. The next page
 * starts strictly after it, so rows that keep their place are never skipped or repeated
 * while snapshots are refreshed between pages.
 */
export interface PageCursor {
  readonly value: number | string;
  readonly id: string;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): PageCursor | undefined {
  if (!raw) return undefined;
  try {
    const [value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if ((typeof value === 'number' || typeof value === 'string') && typeof id === 'string')
      return { value, id };
  } catch {
    // fall through: reported below
  }
  throw badRequest('invalid query parameters', [
    { path: 'cursor', message: 'cursor is not one this API handed out' },
  ]);
}

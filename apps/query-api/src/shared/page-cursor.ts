import { badRequest } from '@rapport/http/problems';

/**
 * Keyset cursor: the sort value and customer id of the last row of a page, and the version of
 * the insights snapshot the page was cut from. The next page is cut from that same snapshot
 * while it is kept (SnapshotSource), strictly after the last row, so a listing is one
 * consistent ordering however the rows' values change meanwhile.
 */
export interface PageCursor {
  readonly value: number | string;
  readonly id: string;
  /** Absent in cursors handed out before snapshots were pinned: those page the current one. */
  readonly snapshotVersion?: number;
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id, cursor.snapshotVersion])).toString(
    'base64url',
  );
}

export function decodeCursor(raw: string | undefined): PageCursor | undefined {
  if (!raw) return undefined;
  try {
    const [value, id, version] = JSON.parse(
      Buffer.from(raw, 'base64url').toString('utf8'),
    ) as unknown[];
    if ((typeof value === 'number' || typeof value === 'string') && typeof id === 'string') {
      if (version === undefined || version === null) return { value, id };
      if (Number.isSafeInteger(version) && (version as number) > 0)
        return { value, id, snapshotVersion: version as number };
    }
  } catch {
    // fall through: reported below
  }
  throw badRequest('invalid query parameters', [
    { path: 'cursor', message: 'cursor is not one this API handed out' },
  ]);
}

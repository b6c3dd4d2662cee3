import type { StreamableFile } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { csvFile, wantsCsv, type CsvColumn } from '@rapport/http';
import type { PageRequestDto } from './insights-rows.request.dto';
import { decodeCursor, type PageCursor } from './page-cursor';

/** What a list route asks its query for: one page after the cursor, or every row for CSV. */
export interface ListWindow {
  readonly limit: number;
  readonly after?: PageCursor;
  readonly csv: boolean;
}

/** How a list route's rows are written as CSV: amounts are in the page's currency. */
export interface CsvListing<R> {
  readonly filename: string;
  readonly columns: (currency: string) => readonly CsvColumn<R>[];
}

/**
 * A list route's answer: a JSON page of `limit` rows (100 unless asked) after the cursor, or,
 * when the request asks for CSV (`format=csv` or Accept), every row as a CSV file.
 */
export async function answerList<
  R,
  P extends { readonly currency: string; readonly items: Iterable<R> },
>(
  request: FastifyRequest,
  paging: PageRequestDto,
  csv: CsvListing<R>,
  list: (window: ListWindow) => Promise<P>,
): Promise<P | StreamableFile> {
  const asCsv = wantsCsv(request);
  const page = await list({
    limit: asCsv ? Number.MAX_SAFE_INTEGER : (paging.limit ?? 100),
    after: decodeCursor(paging.cursor),
    csv: asCsv,
  });
  return asCsv ? csvFile(csv.filename, csv.columns(page.currency), page.items) : page;
}

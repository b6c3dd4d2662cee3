import type { LedgerEntry, LedgerQuery, SqliteSignalLedger } from '@rapport/signal-delivery';
import type { SignalDto } from './signals.response.dto';

export interface SignalsPage {
  readonly items: readonly LedgerEntry[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** One more than the page is read, to know whether there is a next page. */
export function readSignalsPage(
  ledger: Pick<SqliteSignalLedger, 'list'>,
  query: LedgerQuery,
): SignalsPage {
  const rows = ledger.list({ ...query, limit: query.limit + 1 });
  const items = rows.slice(0, query.limit);
  return rows.length > query.limit
    ? { items, nextCursor: String(items[items.length - 1].seq) }
    : { items };
}

/** Every signal from the first page on, reading the next page as the CSV is written. */
export async function* signalsFrom(
  first: SignalsPage,
  next: (after: number) => Promise<SignalsPage | undefined>,
): AsyncGenerator<SignalDto> {
  let page: SignalsPage | undefined = first;
  while (page) {
    yield* page.items.map(signalDtoOf);
    page = page.nextCursor ? await next(Number(page.nextCursor)) : undefined;
  }
}

export function signalDtoOf(entry: LedgerEntry): SignalDto {
  return {
    ...entry.signal,
    valueAtStake: entry.signal.valueAtStake ? { ...entry.signal.valueAtStake } : null,
    evidence: {
      events: [...entry.signal.evidence.events],
      figures: { ...entry.signal.evidence.figures },
      ...(entry.signal.evidence.snapshot
        ? { snapshot: { asOf: entry.signal.evidence.snapshot.asOf } }
        : {}),
    },
    status: entry.status,
    derivedAtPosition: entry.derivedAtPosition.toString(),
  };
}

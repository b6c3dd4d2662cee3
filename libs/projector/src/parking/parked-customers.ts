import type { ReadStore } from '@rapport/read-store';

/** A customer the projector could not apply an event of, in one view (collection). */
export interface ParkedCustomer {
  readonly customerId: string;
  readonly projection: string;
  /** Global position of the event it could not apply (decimal string). */
  readonly position: string;
  readonly eventType: string;
  readonly error: string;
}

export interface ParkedCustomers {
  readonly count: number;
  /** The first ones in customer-id order (at most the limit asked for). */
  readonly customers: readonly ParkedCustomer[];
}

/**
 * Where a view's parked customers are listed: beside the view's own collection, so a blue/green
 * rebuild starts with an empty list and dropping a generation drops its list too. A separate
 * collection, so that status and metrics count them without reading every view.
 */
export function parkedCollection(viewCollection: string): string {
  return `parked:${viewCollection}`;
}

export async function readParkedCustomers(
  readStore: ReadStore,
  viewCollection: string,
  limit = 100,
): Promise<ParkedCustomers> {
  const collection = parkedCollection(viewCollection);
  const [count, page] = await Promise.all([
    readStore.count(collection),
    readStore.list<ParkedCustomer>(collection, { limit }),
  ]);
  return { count, customers: page.records.map((record) => record.value) };
}

/** A view's collection and its list of parked customers, gone together. */
export async function dropViewCollection(readStore: ReadStore, collection: string): Promise<void> {
  await readStore.dropCollection(parkedCollection(collection));
  await readStore.dropCollection(collection);
}

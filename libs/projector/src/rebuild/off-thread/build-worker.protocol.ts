import type { PrivacyConfig } from '@rapport/config';
import type { EventStoreSettings } from '@rapport/event-store';
import type { EncodedRecord, ReadStoreLocation, StoredRecord } from '@rapport/read-store';
import type { ParkedCustomer } from '../../parking/parked-customers';
import type { RefoldOutcome } from '../../profiles/refold-profiles';
import type { CompareOptions, ViewComparison } from '../compare-views';

/**
 * Enough for a worker thread to read the event store as this process does: where it is and,
 * when personal fields are sealed, where the customers' keys are — a worker reading the raw
 * store would fold ciphertext into the views.
 */
export interface OffThreadStore {
  readonly eventStore: EventStoreSettings;
  readonly privacy?: PrivacyConfig;
}

/** Main thread → build worker: what to build, then one reply to each of its requests. */
export type BuildWorkerInput =
  | {
      readonly kind: 'start';
      readonly store: OffThreadStore;
      readonly projection: string;
      /** Position the generation already holds (its build checkpoint). */
      readonly after: bigint;
      /** Events read and folded between two checkpoints. */
      readonly window: number;
      /** Customers per request: what one message copies on the main thread. */
      readonly customersPerRequest: number;
      /** Nothing is stored in the generation yet: a customer not written in this run has no record. */
      readonly startsEmpty: boolean;
      /** The read store takes and gives records as JSON text: the worker encodes and parses. */
      readonly encoded: boolean;
      /** The generation's collection. */
      readonly collection: string;
      /**
       * Where the worker reads and writes the generation's records itself, on a connection of
       * its own (the main thread then only lists parked customers and writes checkpoints);
       * absent: it asks the main thread for every read and write.
       */
      readonly direct?: ReadStoreLocation;
    }
  | {
      readonly kind: 'compare';
      readonly live: string;
      readonly rebuilt: string;
      readonly options: CompareOptions;
      readonly encoded: boolean;
      /** Where the worker lists both views itself, on a connection of its own. */
      readonly direct?: ReadStoreLocation;
    }
  | {
      readonly kind: 'records';
      readonly request: number;
      readonly records: StoredRecord<unknown>[];
    }
  | {
      readonly kind: 'page';
      readonly request: number;
      readonly records: StoredRecord<unknown>[];
      readonly next?: string;
    }
  | {
      readonly kind: 'encoded-records';
      readonly request: number;
      readonly records: EncodedRecord[];
    }
  | {
      readonly kind: 'encoded-page';
      readonly request: number;
      readonly records: EncodedRecord[];
      readonly next?: string;
    }
  | { readonly kind: 'done'; readonly request: number }
  | { readonly kind: 'failed'; readonly request: number; readonly message: string };

/**
 * Build worker → main thread. Each request waits for its reply before the worker goes on past
 * it (at most one read and one write in flight), which is what bounds memory on both sides.
 */
export type BuildWorkerRequest =
  | { readonly kind: 'read'; readonly request: number; readonly keys: string[] }
  | {
      readonly kind: 'list';
      readonly request: number;
      readonly collection: string;
      readonly after?: string;
      readonly limit: number;
    }
  | {
      readonly kind: 'write';
      readonly request: number;
      readonly records: StoredRecord<unknown>[];
      readonly parked: ParkedCustomer[];
    }
  | {
      /** Records as their JSON text, each in a buffer of its own, transferred (not copied). */
      readonly kind: 'write-encoded';
      readonly request: number;
      readonly records: EncodedRecord[];
      readonly parked: ParkedCustomer[];
    }
  | {
      /** A merge or an undo: groups folded again, absorbed records removed (see writeRefold). */
      readonly kind: 'regroup';
      readonly request: number;
      readonly outcome: RefoldOutcome;
    }
  | {
      readonly kind: 'checkpoint';
      readonly request: number;
      readonly position: bigint;
      readonly events: number;
    };

export type BuildWorkerOutput =
  | BuildWorkerRequest
  | { readonly kind: 'end'; readonly position: bigint }
  | { readonly kind: 'compared'; readonly comparison: ViewComparison }
  | { readonly kind: 'crashed'; readonly message: string };

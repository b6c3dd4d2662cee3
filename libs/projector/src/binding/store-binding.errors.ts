import { describeBindingProblems, REBUILD_COMMAND, type StoreBindingReport } from './store-binding';

/**
 * The read store was built from another event store, or from a later state of this one: its
 * positions would skip this store's events. Never used silently: the process refuses to start
 * until the views are rebuilt from this store.
 */
export class ReadStoreMismatchError extends Error {
  readonly code = 'READ_STORE_MISMATCH';
  readonly retryable = false;

  constructor(readonly report: StoreBindingReport) {
    super(
      `the read store does not belong to this event store: ${describeBindingProblems(report)}. ` +
        `Its views would skip or mix events. Rebuild them from this event store with ` +
        `\`${REBUILD_COMMAND}\` (a replay into a fresh generation), or start with ` +
        'READ_STORE_MISMATCH=rebuild to do that at start',
    );
    this.name = 'ReadStoreMismatchError';
  }
}

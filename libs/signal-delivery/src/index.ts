export * from './ledger/sqlite.signal-ledger';
export * from './publisher/signal-derivation';
export * from './publisher/signal-outbox.publisher';
export * from './publisher/signal-delivery';
export * from './signal-ledger.module';
export * from './signal-delivery.module';
export * from './population/population-signal-evaluation';
export * from './webhook/webhook-signature';

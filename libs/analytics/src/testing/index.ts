export * from './mulberry32';
export * from './random-distributions';
export * from './bg-nbd.simulate';
export * from './bg-nbd.reference';

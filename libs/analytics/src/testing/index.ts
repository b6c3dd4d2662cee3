export * from '../random/mulberry32';
export * from '../random/random-distributions';
export * from './bg-nbd.simulate';
export * from './bg-nbd.reference';
export * from './gamma-gamma.simulate';

export * from './touchpoint.arbitraries';

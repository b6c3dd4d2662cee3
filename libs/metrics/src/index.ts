export * from './metrics.registry';
export * from './metric';
export * from './scraped-gauge';

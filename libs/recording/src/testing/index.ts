export * from './identity-resolution.contract';

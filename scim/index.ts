// The public API of the SCIM core. `./express` is the only part that depends on express.
export * from './urns';
export * from './errors';
export * from './schemas';
export * from './validate';
export * from './list';
export * from './store';
export * from './discovery';
export * from './auth';
export * from './express';
export * from './filter';
export { applyPatch } from './patch';
export * from './time';

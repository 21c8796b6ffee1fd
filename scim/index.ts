/**
 * `scim-lab/scim`: the SCIM 2.0 core (RFC 7643, RFC 7644): filter parser and evaluator, PATCH, the user store,
 * errors, schemas, list responses. `./express` is the only part that depends on express.
 *
 * @packageDocumentation
 * @module scim-lab/scim
 */
export * from './urns';
export * from './errors';
export * from './schemas';
export * from './validate';
export * from './list';
export * from './store';
export * from './group-store';
export * from './discovery';
export * from './auth';
export * from './express';
export * from './filter';
export { applyPatch, type PatchOperation, type PatchOpName, type ScimJson } from './patch';
export * from './time';
export * from './http';

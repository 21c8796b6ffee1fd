export * from './ast';
export { parseFilter, parsePath } from './parse';
export { compileFilter, matchesFilter, equalityLookup } from './evaluate';

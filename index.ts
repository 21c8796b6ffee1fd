// The public API of scim-lab as a library.
export { createCode42, CODE42_DEVIATIONS } from './mock-code42';
export type { Code42, Code42Options, Code42Description } from './mock-code42';

// The mock plumbing both mocks share (docs/admin-api.md): clock, journal, faults, admin router, listen.
export * from './types';
export { createClock } from './clock';
export {
  createJournal,
  recordOutbound,
  flattenHeaders,
  REDACTED,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_JOURNAL_MAX_BYTES,
  JOURNAL_MODES,
} from './journal';
export type { JournalOptions, JournalMode, OutboundExchange, HeadersLike } from './journal';
export {
  createFaults,
  applyOutboundFault,
  faultResponse,
  simulatedNetworkError,
  pathAfterBase,
  validateRule,
} from './faults';
export type { FaultsOptions, TakenFault } from './faults';
export { createAdminSurface, ADMIN_REALM } from './admin';
export type { AdminOptions, AdminRoute } from './admin';
export { safeEqual, requireBearer } from './auth';
export { listen, selfSignedCertificate, LISTEN_DEFAULTS } from './listen';

/**
 * scim-lab as a library: the two mocks and the conformance run.
 *
 * Entry points (package.json `exports`; nothing imports `dist/…`):
 * - `scim-lab`: {@link createCode42}, {@link createPingOne}, {@link runConformance} and their types;
 * - `scim-lab/jest`: the catalogue as jest tests (`describeConformance`);
 * - `scim-lab/containers`: testcontainers modules for the scim-lab image;
 * - `scim-lab/scim`: the SCIM 2.0 core (filter, PATCH, store, errors, schemas).
 *
 * @packageDocumentation
 * @module scim-lab
 */

// The mock Code42: a SCIM 2.0 service provider.
export { createCode42, CODE42_DEVIATIONS } from './mock-code42';
export type {
  Code42,
  Code42Options,
  Code42Description,
  Code42State,
  Code42UserState,
  Code42Status,
  ConsoleAction as Code42ConsoleAction,
  Provider,
  ShellName,
  Code42UserView,
  GroupOrganization,
  GroupRoles,
  OrgMapping,
  OrgMode,
  Organization as Code42Organization,
  Placement as Code42Placement,
  Placements as Code42Placements,
  PlacementInput as Code42PlacementInput,
  PlacementState as Code42PlacementState,
  PlacementChange as Code42PlacementChange,
  PlacedUser as Code42PlacedUser,
  PlacementEvent as Code42PlacementEvent,
  RoleMapping,
} from './mock-code42';

// The mock PingOne: a management API and a provisioner pushing changes over SCIM.
export { createPingOne, PINGONE_DEVIATIONS } from './mock-pingone';
export type {
  PingOne,
  PingOneOptions,
  PingOneDescription,
  PingOneTarget,
  SeedIds,
  RetryOptions,
  ProbeKind,
  Logger,
  UserSyncRecord,
  SyncResult,
  SyncAction,
  ConnectionCheck,
} from './mock-pingone';
export type { DeviationInfo, Deviations as PingOneDeviations } from './mock-pingone/deviations';
export type { ResolvedOptions as ResolvedPingOneOptions } from './mock-pingone/options';
export type { FailureCategory } from './mock-pingone/failures';
export type { Erratum, SyncTrigger } from './mock-pingone/model';
export type { ResolvedCode42Options } from './mock-code42/options';
export type { Code42Deviations } from './mock-code42/deviations';
export type { Lifecycle as Code42Lifecycle } from './mock-code42/user-lifecycle';
export type {
  Providers as Code42Providers,
  ProviderRequest as Code42ProviderRequest,
  IssuedToken as Code42IssuedToken,
} from './mock-code42/providers';

// The conformance run: the same planner and runner the `scim-lab conformance` command uses.
// Provisioner profiles (docs/profiles.md): the wire behaviour of PingOne's, Entra ID's and Okta's SCIM clients.
export { PROFILES, PROFILE_NAMES } from './fixtures/profiles';
export type { ActiveShape, Profile, ProfileName, ProfileRule } from './fixtures/profiles';
export { runConformance, planRequirements } from './suites/conformance';
export type { ConformanceOptions, ConformanceRun, TargetEndpoint } from './suites/conformance';
export { writeReports, parseReportOption, toJson, REPORT_FORMATS, exitCode, formatReason } from './suites/engine';
export type {
  ReportFormat,
  ReportPaths,
  Level,
  Status,
  SuiteName,
  Requirement,
  RequirementResult,
  RunResult,
  LevelSummary,
  Exchange,
  Evidence,
  RecordedRequest,
  RecordedResponse,
  HtmlOptions,
  TransportOptions,
} from './suites/engine';
export type { NotApplicable } from './suites/engine/types';
export type { TlsTrust } from './lab/http-exchange';
export type { JournalMode } from './lab/journal';

// The live lab view (`--ui`, docs/admin-api.md "Lab view"): one LabUi, given to both mocks as `ui`, serves /__ui.
export { createLabUi } from './lab/ui';
export type { LabUi, LabSide, LabSideName, LabUser, LabUserRow, LabDeviation } from './lab/ui';
// What a listening mock returns, and the plumbing types their instances expose.
export type {
  Listening,
  ListenOptions,
  Clock,
  Journal,
  JournalEntry,
  JournalQuery,
  JournalMessage,
  Faults,
  FaultRule,
  FaultAction,
} from './lab';

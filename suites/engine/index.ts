// The conformance engine: requirement types, the runner, the HTTP client with evidence, assertions and reports.
// Suites build on this; they reach systems under test over HTTP only and compute nothing with the code they judge
// (a suite never judges code with that code), so nothing here imports the mocks or scim/filter, scim/patch or scim/store.
export * from './types';
export {
  CheckFailure,
  CheckSkip,
  skip,
  fail,
  TransportError,
  UsageError,
  CatalogueError,
  type EvidenceLike,
} from './outcomes';
export {
  attributeCauses,
  withCause,
  rootCauseOf,
  rootCausesFirst,
  countCauses,
  dependencyProblems,
  describeOutcome,
  type CauseCounts,
} from './outcomes-causes';
export { collectJournal, MAX_JOURNAL_ENTRIES, type JournalSource } from './outcomes-journal';
export { profileTable, withProfileColumns, type ProfileRow } from './profile-columns';
export { selectEvidence, inTimeOrder, MAX_EVIDENCE_PER_REQUIREMENT } from './outcomes-evidence';
export { ID_PATTERN, validateCatalogue, selectRequirements } from './catalogue-rules';
export { Redactor, REDACTED } from '../../lab/redact';
export { createExchangeLog, createRecorder, MAX_RECORDED_BODY_CHARS, type ExchangeLog } from './exchange-log';
export {
  HttpClient,
  HARNESS,
  type HttpClientOptions,
  type TransportOptions,
  type RequestOptions,
  type HttpResponse,
  type ScimClient,
  type AdminClient,
} from './http-client';
export {
  expectStatus,
  expectScimError,
  expectHeader,
  expectJsonContentType,
  expectEqual,
  describeRequest,
  type StatusSpec,
  type StatusClass,
} from './assert';
export {
  targetContext,
  createRunPrefix,
  requirementSeed,
  requirementPrefix,
  requirementBasics,
  type Endpoint,
  type TargetContextOptions,
} from './context';
export {
  runCatalogue,
  exitCode,
  stopReason,
  formatReason,
  sectionOf,
  toEvidence,
  DEFAULT_TIMEOUT_MS,
  type RunOptions,
} from './runner';
export {
  createTerminalReporter,
  shouldUseColor,
  type TerminalReporter,
  type TerminalReporterOptions,
  type Writable,
} from './terminal';
export { toolInfo } from '../../lab/tool';
export { escapeMarkup } from './reporters/escape';
export { toJUnit } from './reporters/junit';
export { toHar } from './reporters/har';
export { toHtml, type HtmlOptions } from './reporters/html';
export {
  renderSequenceDiagram,
  DEFAULT_MAX_DIAGRAM_EXCHANGES,
  type DiagramOptions,
} from './reporters/sequence-diagram';
export {
  writeReports,
  parseReportOption,
  toJson,
  REPORT_FORMATS,
  type ReportFormat,
  type ReportPaths,
} from './reporters/write';
export { deepEqual } from '../../scim/json';

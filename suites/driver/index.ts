// Driver protocol v1 (docs/driver-protocol.md): the protocol's data, the step runner, and (as a separate executable,
// default-driver.ts) the built-in driver that steers a mock PingOne.
export * from './protocol';
export {
  runDriverStep,
  DriverError,
  type StepInput,
  type GroupStepInput,
  type StepOptions,
  type StepOutcome,
} from './runner';

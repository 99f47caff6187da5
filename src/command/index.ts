// The command framework every npm script and zt command is written with (see README, "Exit codes").
export { CliError, usageError } from "./error";
export { EXIT, EXIT_HELP, type ExitCode } from "./exit";
export {
  FLAGS,
  flags,
  parseCommandLine,
  positiveInt,
  projectDirOf,
  stackOf,
  todayOf,
  type Options,
  type Parsed,
} from "./flags";
export {
  bufferSink,
  createOutput,
  processSink,
  REDACTED,
  SECRET_ENV,
  type Output,
  type Sink,
} from "./output";
export {
  command,
  mainOf,
  now,
  outputFor,
  processEnv,
  report,
  runCommand,
  runEntry,
  type Command,
  type CommandEnv,
  type EntryEnv,
} from "./run";

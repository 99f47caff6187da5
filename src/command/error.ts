import { EXIT } from "./exit";

/**
 * The one error type of the commands: its message is already written for the admin and is printed as
 * is (one line, then `details` indented), with its exit code; no stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    /** Extra lines printed after the message (e.g. one per users.yaml problem). */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A usage error: bad flag, bad value, unknown command (exit 64). */
export const usageError = (message: string) => new CliError(message, EXIT.usage);

// Errors about the engine's binaries that the message alone lets a person fix: commands print the
// message without a stack trace (they test for ToolchainMissingError).

/** A part the engine needs is not built (or not installed): the message names the command. */
export class ToolchainMissingError extends Error {
  override name = "ToolchainMissingError";
}

/** An installed official binary has the wrong version, or ZT_TOOLCHAIN is not a mode. */
export class ToolchainChoiceError extends ToolchainMissingError {
  override name = "ToolchainChoiceError";
}

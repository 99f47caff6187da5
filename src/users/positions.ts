// Moved to src/diagnostics (config and plan use it too); kept so src/users imports stay as they are.
export * from "../diagnostics/positions";

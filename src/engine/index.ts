// The engine driver: the product's program (or a test's) run by the real Pulumi engine.
export { openStack, type EngineStack, type OpenStackOptions } from "./stack";
export { engineHome } from "./home";
export { backendUrl, passphraseEnv, EngineSetupError, LOCAL_STACK, LOCAL_PASSPHRASE } from "./settings";
export { summarizeChanges, shortUrn, type PlannedChange } from "./changes";

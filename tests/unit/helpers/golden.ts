// When a golden file may be rewritten. Only a developer rewrites goldens (UPDATE_GOLDEN=1, then reads the
// diff); on CI a rewrite would turn every golden comparison into a test that cannot fail, so it is refused.

/** True when UPDATE_GOLDEN=1 asks for a rewrite; throws when that is asked on CI (CI set, not "false"). */
export function rewriteGoldens(env: NodeJS.ProcessEnv = process.env): boolean {
  const asked = env.UPDATE_GOLDEN !== undefined && env.UPDATE_GOLDEN !== "";
  const onCi = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  if (asked && onCi) {
    throw new Error(
      `UPDATE_GOLDEN=${env.UPDATE_GOLDEN} is set on CI (CI=${env.CI}): goldens are rewritten only by a developer ` +
        "who reviews the diff; unset UPDATE_GOLDEN in the CI environment",
    );
  }
  return env.UPDATE_GOLDEN === "1";
}

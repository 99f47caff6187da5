import { DesiredState, DesiredUser } from "./desired";
import { AccessTest, DesiredAppAccess, LoginMethod } from "./portal";

// The `tests:` of users.yaml, evaluated on the desired model (issue 17, 4a): what Cloudflare would
// decide for this identity and device once the plan is applied. A group's policy admits its active
// members who sign in with the group's login method and, where the app requires it for that group,
// connect from a device registered to them; the Service Auth policy admits the app's tokens. Any one
// policy admitting is enough (Access evaluates Allow policies as any-of). Pure: no API, no engine.

export type Decision = "allow" | "deny";

export interface AccessQuery {
  app: string;
  user?: string;
  device?: string;
  login?: LoginMethod;
  serviceToken?: string;
}

export interface AccessAnswer {
  decision: Decision;
  /** Why, in the admin's words: the group and device that admit, or what is missing. */
  reason: string;
}

export interface AccessTestResult {
  test: AccessTest;
  actual: Decision;
  pass: boolean;
  reason: string;
}

export const LOGIN_WORDS: Record<LoginMethod, string> = {
  idp: "identity provider",
  otp: "one-time PIN",
};

const allow = (reason: string): AccessAnswer => ({ decision: "allow", reason });
const deny = (reason: string): AccessAnswer => ({ decision: "deny", reason });
const list = (items: readonly string[]) => (items.length ? items.join(", ") : "nobody");

export function evaluateAccess(state: DesiredState, q: AccessQuery): AccessAnswer {
  const portal = state.portal;
  if (!portal) return deny("the file declares no groups: (no per-application access)");
  const entry = portal.access.find((a) => a.app === q.app);
  if (!entry) return deny(`${q.app} has no entry under access:, so nobody may reach it`);
  if (q.serviceToken !== undefined) return tokenAnswer(entry, q.serviceToken, portal.serviceTokens);
  return userAnswer(state, entry, q);
}

function tokenAnswer(
  entry: DesiredAppAccess,
  token: string,
  tokens: readonly { name: string }[],
): AccessAnswer {
  if (!tokens.some((t) => t.name === token)) return deny(`service token ${token} is not declared`);
  if (entry.serviceTokens.includes(token))
    return allow(`${entry.app}'s Service Auth policy accepts ${token}`);
  return deny(`${entry.app} accepts no service token ${token} (it accepts: ${list(entry.serviceTokens)})`);
}

function userAnswer(state: DesiredState, entry: DesiredAppAccess, q: AccessQuery): AccessAnswer {
  const email = (q.user ?? "").toLowerCase();
  const user = state.users.find((u) => u.email === email);
  if (!user) return deny(`${email} is not in users`);
  if (user.expired) return deny(`${email}'s access ended on ${user.expires}`);
  const portal = state.portal!;
  const memberOf = user.groups ?? [];
  const allowed = memberOf.filter((g) => entry.allow.includes(g));
  if (allowed.length === 0)
    return deny(`${email} is in ${list(memberOf)}; ${entry.app} allows ${list(entry.allow)}`);
  const loginOf = (g: string) => portal.groups.find((x) => x.name === g)?.login;
  const signIn = q.login === undefined ? allowed : allowed.filter((g) => loginOf(g) === q.login);
  if (signIn.length === 0) {
    const ways = [...new Set(allowed.map((g) => LOGIN_WORDS[loginOf(g)!]))].join(" or ");
    return deny(
      `${email} reaches ${entry.app} through ${list(allowed)}, which sign in with ${ways}, not ${LOGIN_WORDS[q.login!]}`,
    );
  }
  const device = deviceOf(user, q.device);
  for (const g of signIn) {
    const how = `${email} reaches ${entry.app} as ${g} (${LOGIN_WORDS[loginOf(g)!]})`;
    if (!entry.devices.includes(g)) return allow(`${how}, no device check`);
    if (device) return allow(`${how} on registered device ${device}`);
  }
  const needing = signIn.join(", ");
  if (q.device === undefined)
    return deny(`${needing} must pass the device check on ${entry.app}, and no device was given`);
  const owner = state.users.find((u) => deviceOf(u, q.device));
  const whose = owner
    ? `it is registered to ${owner.email}${owner.expired ? " (expired)" : ""}`
    : "it is not registered";
  return deny(
    `${needing} must pass the device check on ${entry.app}: device ${q.device} is not ${email}'s (${whose})`,
  );
}

/** The serial as written in the file, when `serial` is one of this user's devices (case-insensitive). */
function deviceOf(user: DesiredUser, serial: string | undefined): string | undefined {
  if (serial === undefined) return undefined;
  return user.devices.find((d) => d.serial.toUpperCase() === serial.toUpperCase())?.serial;
}

export function runAccessTests(state: DesiredState): AccessTestResult[] {
  return (state.portal?.tests ?? []).map((test) => {
    const { decision, reason } = evaluateAccess(state, test);
    return { test, actual: decision, pass: decision === test.expect, reason };
  });
}

/** The message of a failing test, e.g. for users.yaml:LINE:COL. */
export function failureMessage(r: AccessTestResult): string {
  const who = r.test.serviceToken !== undefined ? `service token ${r.test.serviceToken}` : r.test.user;
  return `access test failed: ${who} on ${r.test.app} expected ${r.test.expect}, got ${r.actual}: ${r.reason}`;
}

import { COMMON_HELP } from "./args";
import { connect, loadStack, loadUsers, Users, withApi, ZtEnv } from "./context";
import { EXIT, CliError } from "../command";
import { deviceSpan } from "./yaml-spans";
import { revokeDevice } from "../cloudflare/revoke";
import { SERIAL_PATTERN } from "../users/schema";

// zt device lost: the runbook's "a device is lost or stolen": cut the device off now and say exactly
// which users.yaml lines to delete so it stays cut off.

export const DEVICE_LOST_HELP = `Usage: npm run zt -- device lost SERIAL [--stack NAME]

Revokes every WARP registration of the device with serial number SERIAL, now, and prints the exact
users.yaml edit that keeps it out (which user, which lines). Then follow the runbook: end the owner's
Access sessions (npm run zt -- revoke EMAIL --force) and look for recent sign-ins (npm run zt -- audit).
${COMMON_HELP}
Exit 0 when done, 3 when Cloudflare cannot be used, 64 for a bad command line.

Example: npm run zt -- device lost C02XL0GHJGH5`;

export interface DeviceLostOptions {
  stack?: string;
  tokenEnv?: string;
  serial: string;
}

export async function deviceLost(opts: DeviceLostOptions, env: ZtEnv): Promise<number> {
  const serial = opts.serial.trim();
  if (!SERIAL_PATTERN.test(serial))
    throw new CliError(
      `zt device lost: "${opts.serial}" is not a serial number (1 to 64 letters, digits or '-'); usage: npm run zt -- device lost SERIAL`,
      EXIT.usage,
    );
  const stack = loadStack(env, opts.stack);
  const o = env.output;
  let users: Users | undefined;
  try {
    users = loadUsers(env, stack);
  } catch (error) {
    // A lost device is urgent: revoke first, even when users.yaml is broken.
    if (!(error instanceof CliError)) throw error;
    o.err(`note: ${error.message}; revoking anyway, but the users.yaml edit cannot be worked out`);
    for (const line of error.details) o.err(`  ${line}`);
  }
  const owned = users?.state.users
    .flatMap((user) => user.devices.map((device) => ({ user, device })))
    .find((d) => d.device.serial.toUpperCase() === serial.toUpperCase());
  const api = connect(env, stack, opts.tokenEnv);
  const result = await withApi(api, () => revokeDevice(api.target, serial));
  o.out(
    result.registrationIds.length
      ? `Revoked ${result.registrationIds.length} WARP registration${result.registrationIds.length === 1 ? "" : "s"} of device ${serial}: ${result.registrationIds.join(", ")}`
      : `No active WARP registration of a device with serial ${serial} was found (it never enrolled, or it was already revoked).`,
  );
  if (!users) {
    o.out(`Remove ${serial} from ${stack.config.usersFile} once the file is fixed, then merge.`);
    return EXIT.ok;
  }
  if (!owned) {
    o.out(`${serial} is not in ${users.name}: no edit is needed there.`);
    return EXIT.ok;
  }
  const { user, device } = owned;
  const span = deviceSpan(users.path, device.serial);
  const label = [device.os, device.label].filter(Boolean).join(", ");
  if (!span?.device) {
    o.out(
      `Edit ${users.name}: remove device ${device.serial} of ${user.email} (line ${device.line}), then merge.`,
    );
  } else {
    const range =
      span.device.start === span.device.end
        ? `line ${span.device.start}`
        : `lines ${span.device.start}-${span.device.end}`;
    o.out(
      `Edit ${users.name}: delete ${range}, device ${device.serial}${label ? ` (${label})` : ""} of ${user.email} (user at line ${span.user.start}), then merge:`,
    );
    for (const [i, line] of span.device.lines.entries())
      o.out(`- ${String(span.device.start + i).padStart(4)} | ${line}`);
    if (span.deviceCount === 1) {
      o.out(
        `It is ${user.email}'s only device: put the replacement's serial in its place, or write \`devices: []\` at line ${span.devicesLine} until they have one (the schema needs the list).`,
      );
    }
  }
  o.out(
    `Until the edit is merged and applied, the serial stays in the posture list: a re-enrolled device with it would pass the device check.`,
  );
  o.out(
    `Next (runbook): end ${user.email}'s Access sessions: npm run zt -- revoke ${user.email} --force; check recent sign-ins: npm run zt -- audit --email ${user.email} --since 7d`,
  );
  return EXIT.ok;
}

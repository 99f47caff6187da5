import { z } from "zod";
import { groupName, portalFileShape } from "./portal-schema";

// The single definition of users.yaml. Validation, the generated JSON Schema (editor completion)
// and the error messages all come from here, so they cannot drift apart.

export const OS_VALUES = ["macos", "windows", "linux"] as const;
export type Os = (typeof OS_VALUES)[number];

export const DURATION_PATTERN = /^[1-9][0-9]{0,4}[hm]$/;
export const SERIAL_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const duration = (what: string, example: string) =>
  z
    .string({ error: `${what} must be a duration such as ${example} (a number followed by h or m)` })
    .regex(DURATION_PATTERN, {
      error: `${what} must be a duration such as ${example} (a number followed by h or m)`,
    });

export const deviceSchema = z.strictObject(
  {
    serial: z
      .string({
        error:
          'serial must be text: the device\'s serial number, e.g. C02XL0GHJGH5 (put it in quotes when it is all digits, e.g. serial: "0123456789")',
      })
      .regex(SERIAL_PATTERN, {
        error:
          "serial must be 1 to 64 letters, digits or '-' (copy it from About This Mac, `wmic bios get serialnumber` or `dmidecode -s system-serial-number`)",
      })
      .describe("Device serial number: 1-64 letters, digits or '-'."),
    os: z
      .enum(OS_VALUES, {
        error: "os must be one of macos, windows, linux (or leave it out to allow the serial on any OS)",
      })
      .optional()
      .describe("Operating system of the device; leave out to allow the serial on every OS."),
    label: z
      .string({ error: "label must be text" })
      .max(100, { error: "label is limited to 100 characters" })
      .optional()
      .describe("Free text for people, e.g. 'work laptop'."),
  },
  { error: "a device must be a mapping such as `- serial: C02XL0GHJGH5` (with optional os and label)" },
);

export const userSchema = z.strictObject(
  {
    email: z
      .email({ error: "email must be a valid address such as alice@example.org" })
      .max(254, { error: "email is longer than 254 characters" })
      .describe("Sign-in email address (compared case-insensitively)."),
    name: z
      .string({ error: "name must be text" })
      .max(200, { error: "name is limited to 200 characters" })
      .optional()
      .describe("Display name, for people reading the file and the reports."),
    expires: z
      .string({ error: "expires must be a date written YYYY-MM-DD, e.g. 2027-03-31" })
      .regex(DATE_PATTERN, { error: "expires must be a date written YYYY-MM-DD, e.g. 2027-03-31" })
      .optional()
      .describe("Last day of access (UTC), YYYY-MM-DD. After it the user is left out of every list."),
    devices: z
      .array(deviceSchema, {
        error: "devices must be a list of devices, e.g. `devices: [{ serial: C02XL0GHJGH5, os: macos }]`",
      })
      // Required in a file without groups: (see parse.ts, which says so as the schema did); a portal-mode
      // user whose groups never need a device may leave it out.
      .optional()
      .describe("Devices this user may connect from. Empty means the user cannot pass the device check."),
    groups: z
      .array(groupName, { error: "groups must be a list of group names, e.g. `groups: [staff]`" })
      .optional()
      .describe("Groups this user belongs to (names from groups:); required once groups: is declared."),
  },
  { error: "a user must be a mapping that starts with `- email: ...` and has a devices list" },
);

export const sessionsSchema = z.strictObject(
  {
    app: duration("sessions.app", "8h")
      .optional()
      .describe("Access application session, 4h to 24h (default 8h), written <n>h or <n>m (no days)."),
    warp: duration("sessions.warp", "24h")
      .optional()
      .describe(
        "WARP session, 8h to 168h (default 24h), never shorter than sessions.app; " +
          "written <n>h or <n>m: days are not accepted (7 days = 168h).",
      ),
  },
  {
    error:
      "sessions must be a mapping such as `sessions: { app: 8h, warp: 24h }` (or leave it out for the defaults)",
  },
);

export const usersFileSchema = z.strictObject({
  sessions: sessionsSchema.optional().describe("Session lengths. Defaults: app 8h, warp 24h."),
  users: z
    .array(userSchema, { error: "users must be a list of users (each item starts with `- email: ...`)" })
    .min(1, { error: "users is empty: with no user nobody could sign in, which would lock everyone out" })
    .describe("Everyone who may use the application."),
  ...portalFileShape,
});

export type UsersFile = z.infer<typeof usersFileSchema>;
export type UserEntry = z.infer<typeof userSchema>;
export type DeviceEntry = z.infer<typeof deviceSchema>;
export type Sessions = z.infer<typeof sessionsSchema>;

/** The JSON Schema editors use for completion (`# yaml-language-server: $schema=./users.schema.json`). */
export function usersJsonSchema(): object {
  return {
    ...z.toJSONSchema(usersFileSchema, { target: "draft-7" }),
    // Without groups: (legacy mode) every user needs a devices list (parse.ts checks the same).
    if: { not: { required: ["groups"] } },
    then: { properties: { users: { items: { required: ["email", "devices"] } } } },
    title: "users.yaml",
    description:
      "Who may reach the application, from which devices, and for how long. Generated by `npm run schema`; do not edit.",
  };
}

import { describe, expect, expectTypeOf, it } from "vitest";
import { allFieldsMapped, DesiredDevice, DesiredUser } from "../../src/model/desired";
import { DeviceEntry, deviceSchema, sessionsSchema, UserEntry, userSchema } from "../../src/users/schema";
import { stateOf, yaml } from "./helpers/users";

// DesiredState is built from the schema's typed output, and its user and device types are the schema's
// (z.infer). These checks run in `npm run typecheck` (tsc reads tests/) as well as in vitest.

describe("the model's types come from the schema", () => {
  it("a schema field the model does not map is a type error, not a silently dropped value", () => {
    // What desiredStateFrom does with every entry, for a schema that grew a `team` field.
    const entry: UserEntry & { team?: string } = { email: "a@example.org", devices: [], team: "ops" };
    const { email, name, expires, devices, groups, ...rest } = entry;
    // @ts-expect-error `team` is left over: allFieldsMapped takes only an empty rest (tsc fails if this compiles)
    allFieldsMapped(rest);
    const { team, ...none } = rest;
    allFieldsMapped(none); // naming the field is what makes it compile
    expect({ email, name, expires, devices, groups, team }).toEqual({
      email: "a@example.org",
      devices: [],
      team: "ops",
    });
  });

  it("DesiredUser and DesiredDevice are the schema's entries plus what the model adds", () => {
    expectTypeOf<Omit<DesiredUser, "expired" | "line" | "devices">>().toEqualTypeOf<
      Omit<UserEntry, "devices">
    >();
    expectTypeOf<DesiredUser["devices"][number]>().toEqualTypeOf<DesiredDevice>();
    expectTypeOf<Omit<DesiredDevice, "line">>().toEqualTypeOf<DeviceEntry>();
  });

  it("a file with every field set keeps every field in the model", () => {
    const state = stateOf(yaml`
      sessions:
        app: 12h
        warp: 48h
      users:
        - email: Alice@Example.org
          name: Alice Example
          expires: 2027-03-31
          devices:
            - serial: C02XL0GHJGH5
              os: macos
              label: work laptop
    `);
    const [user] = state.users;
    for (const key of Object.keys(userSchema.shape)) expect(user, key).toHaveProperty(key);
    for (const key of Object.keys(deviceSchema.shape)) expect(user.devices[0], key).toHaveProperty(key);
    for (const key of Object.keys(sessionsSchema.shape)) expect(state.sessions, key).toHaveProperty(key);
    expect(user).toEqual({
      email: "alice@example.org",
      name: "Alice Example",
      expires: "2027-03-31",
      expired: false,
      devices: [{ serial: "C02XL0GHJGH5", os: "macos", label: "work laptop", line: 9 }],
      line: 5,
    });
  });
});

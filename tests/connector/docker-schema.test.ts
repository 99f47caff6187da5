// The Docker plugin built here (toolchain/docker-provider: kreuzwerker's provider through the bridge)
// must accept exactly the inputs @pulumi/docker 5.2.0's TypeScript types let components/connector.ts
// send, under the same tokens and version, or the engine would reject or silently drop them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOCKER_PLUGIN_VERSION, dockerLayout } from "../../toolchain/docker-layout";
import { readArgs, sdkVersion } from "../e2e/helpers/sdk-args";

const RESOURCES: Array<[token: string, file: string, args: string]> = [
  ["docker:index/container:Container", "container", "ContainerArgs"],
  ["docker:index/network:Network", "network", "NetworkArgs"],
  ["docker:index/remoteImage:RemoteImage", "remoteImage", "RemoteImageArgs"],
];

interface PackageSchema {
  name: string;
  config: { variables?: Record<string, unknown> };
  provider: { inputProperties?: Record<string, unknown>; requiredInputs?: string[] };
  resources: Record<string, { inputProperties?: Record<string, unknown>; requiredInputs?: string[] }>;
  functions?: Record<string, unknown>;
}

describe("Docker plugin schema vs @pulumi/docker types", () => {
  const layout = dockerLayout();
  // No silent skip: without the built plugin this fails and names the build command.
  if (!existsSync(layout.schemaJson) || !existsSync(layout.plugin))
    throw new Error(`the Docker plugin is not built (${layout.plugin}): run npm run toolchain`);
  const schema = JSON.parse(readFileSync(layout.schemaJson, "utf8")) as PackageSchema;

  it("reports the version @pulumi/docker expects", () => {
    expect(sdkVersion("docker")).toBe("5.2.0");
    expect(DOCKER_PLUGIN_VERSION).toBe(sdkVersion("docker"));
    expect(execFileSync(layout.plugin, ["-version"], { encoding: "utf8" }).trim()).toBe("5.2.0");
    expect(schema.name).toBe("docker");
  });

  it("serves exactly the resources the connector uses, and no data source", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(RESOURCES.map(([t]) => t).sort());
    const dataSources = Object.keys(schema.functions ?? {}).filter((t) => !t.startsWith("pulumi:providers:"));
    expect(dataSources).toEqual([]);
  });

  it.each(RESOURCES)("%s: inputs match %s.d.ts %s", (token, file, name) => {
    const resource = schema.resources[token];
    const args = readArgs(file, name, "docker");
    expect(Object.keys(resource.inputProperties ?? {}).sort()).toEqual(args.names);
    expect([...(resource.requiredInputs ?? [])].sort()).toEqual(args.required);
  });

  it("provider config matches ProviderArgs", () => {
    const args = readArgs("provider", "ProviderArgs", "docker");
    expect(Object.keys(schema.provider.inputProperties ?? {}).sort()).toEqual(args.names);
    expect(Object.keys(schema.config.variables ?? {}).sort()).toEqual(args.names);
    expect([...(schema.provider.requiredInputs ?? [])].sort()).toEqual(args.required);
  });
});

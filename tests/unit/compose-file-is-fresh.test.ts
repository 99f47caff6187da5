import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { loadStackFile } from "../../src/config/stack-file";
import { connectorSpec, renderCompose } from "../../src/model/connector";

// The committed compose file is generated from Pulumi.prod.yaml; regenerate with `npm run compose`.
test("docker-compose.cloudflare.yml matches the prod stack", () => {
  const { config, problems } = loadStackFile(".", "prod");
  expect(problems).toEqual([]);
  expect(readFileSync("docker-compose.cloudflare.yml", "utf8")).toBe(renderCompose(connectorSpec(config!)));
});

// Step: the pulumi CLI, built from its own Go module (toolchain/pulumi-cli, a `tool` directive on
// github.com/pulumi/pulumi/pkg/v3/cmd/pulumi). `go install pkg@version` cannot work: pkg's go.mod
// has replace directives (golang/go#44840).
import { join } from "node:path";
import { CLI_MODULE_DIR, GO_BUILD_FLAGS, GO_ENV, type Layout } from "./layout";
import { exists, publish, tempPath } from "./files";
import { run } from "./run";

export const cliReady = (l: Layout) => exists(l.cli.binary);

export async function buildCli(l: Layout): Promise<void> {
  const temp = tempPath(l.cli.binary);
  const versionVar = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
  await run({
    module: "toolchain/pulumi-cli",
    cmd: "go",
    args: [
      "build",
      ...GO_BUILD_FLAGS,
      "-ldflags",
      `-s -w -X ${versionVar}=${l.versions.pulumiCli}`,
      "-o",
      temp,
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    ],
    cwd: CLI_MODULE_DIR,
    env: GO_ENV,
    log: join(l.cacheRoot, "logs", "pulumi-cli.log"),
    progress: { label: "pulumi CLI", pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" },
  });
  publish(temp, l.cli.binary);
}

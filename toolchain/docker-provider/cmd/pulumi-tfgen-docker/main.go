// pulumi-tfgen-docker writes the Pulumi package schema (schema.json) and bridge-metadata.json for
// the bridged Docker provider: `pulumi-tfgen-docker schema --skip-docs --skip-examples --out DIR`.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	"zt-gitops/toolchain/docker-provider/bridge"
)

func main() {
	tfgen.Main("docker", bridge.Version, bridge.Provider())
}

// pulumi-tfgen-cloudflare writes the Pulumi package schema (schema.json) and bridge-metadata.json
// for the bridged provider: `pulumi-tfgen-cloudflare schema --skip-docs --skip-examples --out DIR`.
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"zt-gitops/toolchain/cloudflare-provider/bridge"
)

func main() {
	pftfgen.Main("cloudflare", bridge.Provider())
}

// pulumi-resource-docker is the Pulumi resource plugin: the bridge serving the cut-down Docker
// provider with the schema tfgen generated (the driver copies it here before building).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"zt-gitops/toolchain/docker-provider/bridge"
)

//go:embed schema.json
var schema []byte

func main() {
	tfbridge.Main("docker", bridge.Version, bridge.Provider(), schema)
}

// pulumi-resource-cloudflare is the Pulumi resource plugin: the bridge serving the provider shell
// with the schema tfgen generated (the driver copies it here before building).
package main

import (
	"context"
	_ "embed"

	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"zt-gitops/toolchain/cloudflare-provider/bridge"
)

//go:embed schema.json
var schema []byte

func main() {
	pfbridge.Main(context.Background(), "cloudflare", bridge.Provider(), pfbridge.ProviderMetadata{PackageSchema: schema})
}

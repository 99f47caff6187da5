// Package bridge maps the cut-down kreuzwerker Docker provider (an SDKv2 provider) to a Pulumi
// package named "docker", the one @pulumi/docker 5.2.0 speaks to: the same version and the
// same tokens (docker:index/container:Container, docker:index/network:Network, and
// docker_image as docker:index/remoteImage:RemoteImage, because pulumi-docker's own
// docker:index/image:Image is a native resource, not the Terraform one).
package bridge

import (
	_ "embed"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	ztshell "github.com/terraform-providers/terraform-provider-docker/ztshell"
)

// Version must match the @pulumi/docker npm package, or the engine looks for another plugin.
const Version = "5.2.0"

// metadata is written by tfgen; the driver puts "{}" here for the tfgen build.
//
//go:embed bridge-metadata.json
var metadata []byte

// Resources maps each served Terraform type to its @pulumi/docker token.
var Resources = map[string]string{
	"docker_container": "docker:index/container:Container",
	"docker_image":     "docker:index/remoteImage:RemoteImage",
	"docker_network":   "docker:index/network:Network",
}

// fields are the input names @pulumi/docker 5.2.0 uses where the bridge's default pluralising
// would differ (tests/connector/docker-schema.test.ts compares every input with the SDK's *Args),
// and its optional names (auto-named, as the SDK's `name?` says).
var fields = map[string]map[string]*tfbridge.SchemaInfo{
	"docker_container": {
		"command":           {Name: "command"},
		"networks_advanced": {Name: "networksAdvanced"},
		"name":              tfbridge.AutoName("name", 255, "-"),
	},
	"docker_network": {
		"name": tfbridge.AutoName("name", 255, "-"),
	},
}

// Provider returns the ProviderInfo shared by the schema generator and the plugin.
func Provider() tfbridge.ProviderInfo {
	resources := map[string]*tfbridge.ResourceInfo{}
	for tf, tok := range Resources {
		resources[tf] = &tfbridge.ResourceInfo{Tok: tokens.Type(tok), Fields: fields[tf]}
	}
	return tfbridge.ProviderInfo{
		P:            shimv2.NewProvider(ztshell.Provider(Version)),
		Name:         "docker",
		DisplayName:  "Docker",
		Description:  "Docker containers, networks and local images for zt-gitops, bridged from kreuzwerker's Terraform provider.",
		Keywords:     []string{"pulumi", "docker"},
		License:      "Apache-2.0",
		GitHubOrg:    "kreuzwerker",
		Repository:   "https://github.com/pulumi/pulumi-docker",
		Version:      Version,
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		// TLS keys in the provider block stay secret in state, as in pulumi-docker.
		Config: map[string]*tfbridge.SchemaInfo{
			"key_material":  {Secret: tfbridge.True()},
			"cert_material": {Secret: tfbridge.True()},
			"ca_material":   {Secret: tfbridge.True()},
			"registry_auth": {Name: "registryAuth"},
		},
		Resources:   resources,
		DataSources: map[string]*tfbridge.DataSourceInfo{},
		JavaScript:  &tfbridge.JavaScriptInfo{RespectSchemaVersion: true},
	}
}

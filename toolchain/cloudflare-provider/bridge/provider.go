// Package bridge maps the Cloudflare provider shell to a Pulumi package named "cloudflare",
// the same package @pulumi/cloudflare 6.20.0 speaks to. Tokens, config secrets and resource ids
// follow pulumi/pulumi-cloudflare's provider/resources.go (v6.17.0), so state written by this
// plugin and by the official one agree; aliases and v5 state upgrades are left out because
// stacks created by zt-gitops never held v5 state.
package bridge

import (
	"context"
	_ "embed"

	"github.com/cloudflare/terraform-provider-cloudflare/ztshell"
	pfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/info"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Version is what the plugin reports; it must match the @pulumi/cloudflare npm package the
// program uses, or the engine looks for (and tries to download) another plugin version.
const Version = "6.20.0"

// metadata is written by tfgen (bridge-metadata.json in its --out dir). The toolchain driver
// puts "{}" here for the tfgen build and the generated file for the plugin build.
//
//go:embed bridge-metadata.json
var metadata []byte

const repoURL = "https://github.com/pulumi/pulumi-cloudflare"

func delegateID(pulumiField string) tfbridge.ComputeID {
	return tfbridge.DelegateIDField(resource.PropertyKey(pulumiField), "cloudflare", repoURL)
}

// accountOrZoneID is the official plugin's id for resources that have no "id" in Terraform.
func accountOrZoneID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	account, hasAccount := state["accountId"]
	zone, hasZone := state["zoneId"]
	switch {
	case hasAccount && hasZone:
		return resource.ID(account.StringValue() + "__" + zone.StringValue()), nil
	case hasAccount:
		return resource.ID(account.StringValue()), nil
	case hasZone:
		return resource.ID(zone.StringValue()), nil
	default:
		return "id", nil
	}
}

// Provider returns the ProviderInfo shared by the schema generator and the plugin.
func Provider() info.Provider {
	prov := info.Provider{
		P:            pfbridge.ShimProvider(ztshell.New()),
		Name:         "cloudflare",
		DisplayName:  "Cloudflare",
		Description:  "Cloudflare Zero Trust resources for zt-gitops, bridged from Cloudflare's Terraform provider.",
		Keywords:     []string{"pulumi", "cloudflare"},
		License:      "Apache-2.0",
		GitHubOrg:    "cloudflare",
		Repository:   repoURL,
		Version:      Version,
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Config: map[string]*info.Schema{
			"api_token":            {Secret: tfbridge.True()},
			"api_key":              {Secret: tfbridge.True()},
			"api_user_service_key": {Secret: tfbridge.True()},
		},
		Resources: map[string]*info.Resource{
			// Terraform types this id as a number; the bridge turns it into the string id.
			"cloudflare_logpush_job":                {ComputeID: delegateID("id")},
			"cloudflare_zero_trust_device_settings": {ComputeID: delegateID("accountId")},
			// No "id" attribute in Terraform: the official plugin derives one from account/zone.
			"cloudflare_zero_trust_organization":                                 {ComputeID: accountOrZoneID},
			"cloudflare_logpush_ownership_challenge":                             {ComputeID: accountOrZoneID},
			"cloudflare_zero_trust_device_default_profile_local_domain_fallback": {ComputeID: accountOrZoneID},
		},
		DataSources:                    map[string]*info.DataSource{},
		JavaScript:                     &tfbridge.JavaScriptInfo{RespectSchemaVersion: true},
		EnableZeroDefaultSchemaVersion: true,
		EnableAccurateBridgePreview:    true,
	}
	prov.MustComputeTokens(tokens.SingleModule("cloudflare_", "index", tokens.MakeStandard("cloudflare")))
	return prov
}

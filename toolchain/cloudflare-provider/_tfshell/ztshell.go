// Package ztshell is a small Terraform provider with only the Cloudflare services zt-gitops uses.
//
// It is not compiled where it sits: the toolchain driver copies it into a writable copy of
// github.com/cloudflare/terraform-provider-cloudflare (as package ztshell at the module root),
// because the services live under that module's internal/ tree and Go lets only code inside
// the module import them. Upstream's own provider (internal.NewProvider) lists ~280 services;
// compiling them all takes over two hours on two cores, this shell takes minutes.
//
// Schema and Configure mirror upstream's internal/provider.go at the pinned commit, so config,
// environment fallbacks and the client handed to the services are the same.
package ztshell

import (
	"context"
	"fmt"
	"os"
	"regexp"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/consts"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/customvalidator"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/dns_record"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/logpush_job"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/logpush_ownership_challenge"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_access_application"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_access_group"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_access_identity_provider"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_access_policy"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_access_service_token"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_device_default_profile"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_device_default_profile_local_domain_fallback"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_device_posture_rule"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_device_settings"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_list"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_organization"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_tunnel_cloudflared"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_tunnel_cloudflared_config"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_tunnel_cloudflared_route"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/services/zero_trust_tunnel_cloudflared_token"
	"github.com/cloudflare/terraform-provider-cloudflare/internal/utils"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// UpstreamVersion is the Terraform provider release the pinned commit carries
// (internal/version.go); it only feeds the User-Agent, as upstream's version does.
const UpstreamVersion = "5.24.0"

// Resources is what the stack uses; keep it in step with bridge.Resources (the bridge refuses
// a ResourceInfo for a resource the provider does not serve).
func Resources() []func() resource.Resource {
	return []func() resource.Resource{
		dns_record.NewResource,
		logpush_job.NewResource,
		logpush_ownership_challenge.NewResource,
		zero_trust_access_application.NewResource,
		zero_trust_access_group.NewResource,
		zero_trust_access_identity_provider.NewResource,
		zero_trust_access_policy.NewResource,
		zero_trust_access_service_token.NewResource,
		zero_trust_device_default_profile.NewResource,
		zero_trust_device_default_profile_local_domain_fallback.NewResource,
		zero_trust_device_posture_rule.NewResource,
		zero_trust_device_settings.NewResource,
		zero_trust_list.NewResource,
		zero_trust_organization.NewResource,
		zero_trust_tunnel_cloudflared.NewResource,
		zero_trust_tunnel_cloudflared_config.NewResource,
		zero_trust_tunnel_cloudflared_route.NewResource,
	}
}

func DataSources() []func() datasource.DataSource {
	return []func() datasource.DataSource{
		zero_trust_tunnel_cloudflared_token.NewZeroTrustTunnelCloudflaredTokenDataSource,
	}
}

type shellProvider struct{ version string }

type providerModel struct {
	APIKey                  types.String `tfsdk:"api_key"`
	APIUserServiceKey       types.String `tfsdk:"api_user_service_key"`
	Email                   types.String `tfsdk:"email"`
	APIToken                types.String `tfsdk:"api_token"`
	UserAgentOperatorSuffix types.String `tfsdk:"user_agent_operator_suffix"`
	BaseURL                 types.String `tfsdk:"base_url"`
}

// New returns the provider constructor the bridge wraps.
func New() provider.Provider { return &shellProvider{version: UpstreamVersion} }

func (p *shellProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudflare"
	resp.Version = p.version
}

func (p *shellProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		consts.EmailSchemaKey: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("A registered Cloudflare email address. Alternatively, can be configured using the `%s` environment variable. Required when using `api_key`. Conflicts with `api_token`.", consts.EmailEnvVarKey),
		},
		consts.APIKeySchemaKey: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: fmt.Sprintf("The API key for operations. Alternatively, can be configured using the `%s` environment variable.", consts.APIKeyEnvVarKey),
			Validators: []validator.String{
				customvalidator.NewSensitiveRegexMatchesValidator(
					regexp.MustCompile(`^[0-9A-Za-z\-_]{37,60}$`),
					"API key must only contain characters 0-9, a-z, A-Z, hyphens and underscores",
				),
				stringvalidator.AlsoRequires(path.MatchRoot(consts.EmailSchemaKey)),
			},
		},
		consts.APITokenSchemaKey: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: fmt.Sprintf("The API Token for operations. Alternatively, can be configured using the `%s` environment variable.", consts.APITokenEnvVarKey),
			Validators: []validator.String{
				customvalidator.NewSensitiveRegexMatchesValidator(
					regexp.MustCompile(`^[0-9A-Za-z\-_]{40,80}$`),
					"API tokens must only contain characters a-z, A-Z, 0-9, hyphens and underscores",
				),
			},
		},
		consts.APIUserServiceKeySchemaKey: schema.StringAttribute{
			Optional:            true,
			Sensitive:           true,
			MarkdownDescription: fmt.Sprintf("A special Cloudflare API key good for a restricted set of endpoints. Alternatively, can be configured using the `%s` environment variable.", consts.APIUserServiceKeyEnvVarKey),
		},
		consts.UserAgentOperatorSuffixSchemaKey: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("A value to append to the HTTP User Agent for all API calls. Alternatively, can be configured using the `%s` environment variable.", consts.UserAgentOperatorSuffixEnvVarKey),
		},
		consts.BaseURLSchemaKey: schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: fmt.Sprintf("Value to override the default HTTP client base URL. Alternatively, can be configured using the `%s` environment variable.", consts.BaseURLEnvVarKey),
		},
	}}
}

// stringOrEnv is upstream's precedence: an explicit, known config value, else the environment.
func stringOrEnv(v types.String, env string) (string, bool) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString(), true
	}
	return os.LookupEnv(env)
}

func (p *shellProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var data providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}

	opts := []option.RequestOption{}
	if v, ok := stringOrEnv(data.BaseURL, consts.BaseURLEnvVarKey); ok {
		opts = append(opts, option.WithBaseURL(v))
	}
	if v, ok := stringOrEnv(data.APIToken, consts.APITokenEnvVarKey); ok {
		opts = append(opts, option.WithAPIToken(v))
	}
	if v, ok := stringOrEnv(data.APIKey, consts.APIKeyEnvVarKey); ok {
		opts = append(opts, option.WithAPIKey(v))
	}
	if v, ok := stringOrEnv(data.Email, consts.EmailEnvVarKey); ok {
		opts = append(opts, option.WithAPIEmail(v))
	}
	if v, ok := stringOrEnv(data.APIUserServiceKey, consts.APIUserServiceKeyEnvVarKey); ok {
		opts = append(opts, option.WithUserServiceKey(v))
	}

	pluginVersion := utils.FindGoModuleVersion("github.com/hashicorp/terraform-plugin-framework")
	framework := "terraform-plugin-framework"
	ua := utils.UserAgentBuilderParams{ProviderVersion: &p.version, PluginType: &framework, PluginVersion: pluginVersion}
	if !data.UserAgentOperatorSuffix.IsNull() {
		suffix := data.UserAgentOperatorSuffix.String()
		ua.OperatorSuffix = &suffix
	} else {
		ua.TerraformVersion = &req.TerraformVersion
	}
	opts = append(opts,
		option.WithHeader("user-agent", ua.String()),
		option.WithHeader("x-stainless-package-version", p.version),
		option.WithHeader("x-stainless-runtime", framework),
		option.WithHeader("x-stainless-lang", "Terraform"),
	)
	if pluginVersion != nil {
		opts = append(opts, option.WithHeader("x-stainless-runtime-version", *pluginVersion))
	}

	// The services type-assert provider data to *cloudflare.Client (cloudflare-go v7).
	client := cloudflare.NewClient(opts...)
	resp.DataSourceData = client
	resp.ResourceData = client
}

func (p *shellProvider) Resources(context.Context) []func() resource.Resource { return Resources() }

func (p *shellProvider) DataSources(context.Context) []func() datasource.DataSource {
	return DataSources()
}

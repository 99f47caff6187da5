// Package provider (imported as .../ztshell) is the kreuzwerker Docker provider cut down to what
// zt-gitops' connector uses: the provider block, docker_network, docker_image and docker_container.
//
// It is not compiled where it sits: toolchain/build-docker.ts copies it, together with the upstream
// files listed in UPSTREAM_FILES there (the provider block and those three resources, unchanged),
// into tfcopy/ztshell of a writable copy of the upstream module. Upstream's internal/provider is one
// package that also holds buildx, compose, swarm and registry code (buildkit, compose and the
// Kubernetes client); compiling only these files keeps the plugin small and its cold build short.
//
// What this file adds: the names upstream's provider.go and image code refer to but that live in
// the files left out. Resources and data sources left out are dropped from the maps by Provider,
// and image builds (docker_image.build, which upstream runs through buildx) fail with a clear error.
package provider

import (
	"context"
	"errors"

	dockerBuildTypes "github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
)

// Served is every Terraform type this plugin serves; keep in step with bridge.Resources.
var Served = []string{"docker_container", "docker_image", "docker_network"}

// Provider is upstream's provider (same schema, same Configure) serving only Served.
func Provider(version string) *schema.Provider {
	p := New(version)()
	keep := map[string]bool{}
	for _, name := range Served {
		keep[name] = true
	}
	for name := range p.ResourcesMap {
		if !keep[name] {
			delete(p.ResourcesMap, name)
		}
	}
	p.DataSourcesMap = map[string]*schema.Resource{}
	return p
}

var errNoBuild = errors.New("the docker plugin built by zt-gitops does not build images (docker_image.build): " +
	"build the image with `docker build` (or toolchain/images.sh) and refer to it by name")

// Left-out resources and data sources: provider.go lists them, Provider drops them again.
func resourceDockerRegistryImage() *schema.Resource            { return nil }
func resourceDockerVolume() *schema.Resource                   { return nil }
func resourceDockerConfig() *schema.Resource                   { return nil }
func resourceDockerSecret() *schema.Resource                   { return nil }
func resourceDockerService() *schema.Resource                  { return nil }
func resourceDockerPlugin() *schema.Resource                   { return nil }
func resourceDockerTag() *schema.Resource                      { return nil }
func resourceDockerBuildxBuilder() *schema.Resource            { return nil }
func dataSourceDockerLogs() *schema.Resource                   { return nil }
func dataSourceDockerNetwork() *schema.Resource                { return nil }
func dataSourceDockerPlugin() *schema.Resource                 { return nil }
func dataSourceDockerRegistryImage() *schema.Resource          { return nil }
func dataSourceDockerRegistryImageManifests() *schema.Resource { return nil }

// The buildx path of resource_docker_image_funcs.go: canUseBuildx is asked first and refuses, so
// the others are never reached.
type buildOptions struct{}

func canUseBuildx(context.Context, *client.Client) (bool, error) { return false, errNoBuild }
func createAndInitDockerCli(*client.Client) (any, error)         { return nil, errNoBuild }
func mapBuildAttributesToBuildOptions(map[string]interface{}, string, any) (buildOptions, error) {
	return buildOptions{}, errNoBuild
}
func runBuild(context.Context, any, buildOptions, string) error { return errNoBuild }

// The legacy builder's options (upstream: resource_docker_registry_image_funcs.go); unreachable
// for the same reason.
func createImageBuildOptions(map[string]interface{}) dockerBuildTypes.ImageBuildOptions {
	return dockerBuildTypes.ImageBuildOptions{}
}

// Two small helpers the container code shares with the swarm service code (left out).
func stringSliceToSchemaSet(in []string) *schema.Set {
	out := make([]interface{}, len(in))
	for i, v := range in {
		out[i] = v
	}
	return schema.NewSet(schema.HashString, out)
}

func mapStringStringToMapStringInterface(in map[string]string) map[string]interface{} {
	out := make(map[string]interface{}, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

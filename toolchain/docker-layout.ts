// Cache layout of the bridged Docker plugin (toolchain/docker-provider), keyed like the rest
// (layout.ts): versions, the upstream file list and a hash of our Go sources.
import { join } from "node:path";
import { goModVersion, REPO_ROOT, sourceKey, cacheRoot } from "./layout";

export const DOCKER_MODULE_DIR = join(REPO_ROOT, "toolchain", "docker-provider");

/** Must equal the @pulumi/docker npm version, or the engine asks for another plugin. */
export const DOCKER_PLUGIN_VERSION = "5.2.0";

/** The module path upstream's go.mod declares (what our go.mod requires and replaces). */
export const DOCKER_TF_MODULE = "github.com/terraform-providers/terraform-provider-docker";
/** The path the Go module proxy serves it under (the GitHub repository). */
export const DOCKER_TF_DOWNLOAD = "github.com/kreuzwerker/terraform-provider-docker";

/**
 * Upstream files of internal/provider compiled into the plugin: the provider block, the three
 * resources the connector uses, and the helpers they call. The rest of that package (buildx,
 * compose, swarm, registry push) is left out; _tfshell/ztshell.go supplies the names they held.
 */
export const UPSTREAM_FILES = [
  "authentication_helpers.go",
  "config.go",
  "data_source_docker_image.go",
  "helpers.go",
  "provider.go",
  "resource_docker_container.go",
  "resource_docker_container_funcs.go",
  "resource_docker_container_migrators.go",
  "resource_docker_container_structures.go",
  "resource_docker_image.go",
  "resource_docker_image_funcs.go",
  "resource_docker_network.go",
  "resource_docker_network_funcs.go",
  "resource_docker_network_migrators.go",
  "resource_docker_network_structures.go",
  "validators.go",
];

export interface DockerLayout {
  versions: { bridge: string; terraformProvider: string; dockerPlugin: string };
  key: string;
  dir: string;
  tfgen: string;
  schemaDir: string;
  schemaJson: string;
  metadataJson: string;
  /** A directory holding only the plugin, so PATH can offer it without anything else. */
  binDir: string;
  plugin: string;
  /** Stable build directory, so Go's build cache stays warm across source changes. */
  workDir: string;
}

/** root: the toolchain cache (Layout.cacheRoot), default from the environment as in layout.ts. */
export function dockerLayout(root: string = cacheRoot()): DockerLayout {
  const versions = {
    bridge: goModVersion(DOCKER_MODULE_DIR, "github.com/pulumi/pulumi-terraform-bridge/v3"),
    terraformProvider: goModVersion(DOCKER_MODULE_DIR, DOCKER_TF_MODULE),
    dockerPlugin: DOCKER_PLUGIN_VERSION,
  };
  const key = `${DOCKER_PLUGIN_VERSION}-${sourceKey(DOCKER_MODULE_DIR, [...Object.values(versions), ...UPSTREAM_FILES])}`;
  const dir = join(root, "docker", key);
  const schemaDir = join(dir, "schema");
  const binDir = join(dir, "bin");
  return {
    versions,
    key,
    dir,
    tfgen: join(dir, "pulumi-tfgen-docker"),
    schemaDir,
    schemaJson: join(schemaDir, "schema.json"),
    metadataJson: join(schemaDir, "bridge-metadata.json"),
    binDir,
    plugin: join(binDir, "pulumi-resource-docker"),
    workDir: join(root, "work", "docker-provider"),
  };
}

import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { fallbackDomains, splitTunnelExcludes } from "../src/model/network";

export interface DeviceProfileArgs {
  accountId: string;
  privateCidr: string;
  internalDomain: string;
  dnsmasqAddress: string;
}

type SettingsInput = Exclude<keyof cloudflare.ZeroTrustDeviceSettingsArgs, "accountId">;
type ManagedSetting = "gatewayProxyEnabled" | "gatewayUdpProxyEnabled";
/** Every device setting the stack leaves to the account; the type fails when the provider adds one. */
const UNMANAGED: Record<Exclude<SettingsInput, ManagedSetting>, true> = {
  disableForTime: true,
  externalEmergencySignalEnabled: true,
  externalEmergencySignalFingerprint: true,
  externalEmergencySignalInterval: true,
  externalEmergencySignalUrl: true,
  rootCertificateInstallationEnabled: true,
  useZtVirtualIp: true,
};
export const UNMANAGED_DEVICE_SETTINGS = Object.keys(UNMANAGED) as SettingsInput[];

/** What WARP clients need to reach the private network: DNS fallback to dnsmasq, proxy on, split tunnel. */
export class DeviceProfile extends pulumi.ComponentResource {
  constructor(name: string, args: DeviceProfileArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:DeviceProfile", name, {}, opts);
    const { accountId } = args;
    new cloudflare.ZeroTrustDeviceDefaultProfileLocalDomainFallback(
      `${name}-local-domain-fallback`,
      {
        accountId,
        domains: fallbackDomains(args.internalDomain, args.dnsmasqAddress),
      },
      { parent: this },
    );

    // UDP proxy must be on, or DNS to private addresses never reaches dnsmasq (runbook checklist item 8).
    new cloudflare.ZeroTrustDeviceSettings(
      `${name}-settings`,
      {
        accountId,
        gatewayProxyEnabled: true,
        gatewayUdpProxyEnabled: true,
      },
      // Cloudflare answers the whole settings object; the stack manages only the proxy. The other fields
      // keep what the account holds (an admin's choices are carried in every PUT, never reset to defaults).
      { parent: this, ignoreChanges: [...UNMANAGED_DEVICE_SETTINGS] },
    );

    new cloudflare.ZeroTrustDeviceDefaultProfile(
      `${name}-default`,
      {
        accountId,
        excludes: splitTunnelExcludes(args.privateCidr),
        // Cloudflare reports mode "warp" (Gateway with WARP) for every default profile. Left unset, the next
        // refresh reads it back and the engine plans to clear it, an update on every run: `mode` is Optional
        // inside a Computed+Optional object, so a non-null prior value is taken as having come from config
        // (optionalValueNotComputable in the plan's ProposedNew). Declaring the value Cloudflare holds keeps
        // the plan empty; it is also the mode the runbook needs (WARP tunnels private traffic).
        serviceModeV2: { mode: "warp" },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { FallbackDomain, fallbackDomains, splitTunnelExcludes } from "../src/model/network";

export interface DeviceProfileArgs {
  accountId: string;
  privateCidr: string;
  internalDomain: string;
  dnsmasqAddress: string;
  /** The admin's own Local Domain Fallback entries (zt:privateNetwork.extraFallback). */
  extraFallback?: readonly FallbackDomain[];
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

type ProfileInput = Exclude<keyof cloudflare.ZeroTrustDeviceDefaultProfileArgs, "accountId">;
type ManagedProfileField = "excludes" | "includes" | "serviceModeV2";
/**
 * Default-profile fields the stack leaves to the account (docs/e2e-findings.md finding 3): an adopted
 * profile keeps the values it was imported with (tunnel_protocol, auto_connect, ...) in every PATCH.
 */
const UNMANAGED_PROFILE: Record<Exclude<ProfileInput, ManagedProfileField>, true> = {
  allowModeSwitch: true,
  allowUpdates: true,
  allowedToLeave: true,
  autoConnect: true,
  captivePortal: true,
  disableAutoFallback: true,
  dnsSearchSuffixes: true,
  excludeOfficeIps: true,
  globalAcceleration: true,
  lanAllowMinutes: true,
  lanAllowSubnetSize: true,
  registerInterfaceIpWithDns: true,
  sccmVpnBoundarySupport: true,
  supportUrl: true,
  switchLocked: true,
  tunnelProtocol: true,
  virtualNetworks: true,
};
export const UNMANAGED_PROFILE_FIELDS = Object.keys(UNMANAGED_PROFILE) as ProfileInput[];

/** What WARP clients need to reach the private network: DNS fallback to dnsmasq, proxy on, split tunnel. */
export class DeviceProfile extends pulumi.ComponentResource {
  constructor(name: string, args: DeviceProfileArgs, opts?: pulumi.ComponentResourceOptions) {
    super("zt:index:DeviceProfile", name, {}, opts);
    const { accountId } = args;
    new cloudflare.ZeroTrustDeviceDefaultProfileLocalDomainFallback(
      `${name}-local-domain-fallback`,
      {
        accountId,
        domains: fallbackDomains(args.internalDomain, args.dnsmasqAddress, args.extraFallback),
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
      { parent: this, ignoreChanges: [...UNMANAGED_PROFILE_FIELDS] },
    );
    this.registerOutputs({});
  }
}

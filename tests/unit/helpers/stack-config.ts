// A valid set of `zt:` stack values (the shape of Pulumi.local.yaml) for tests that vary one setting.
export const exampleStackValues = {
  accountId: "0123456789abcdef0123456789abcdef",
  zoneId: "fedcba9876543210fedcba9876543210",
  teamName: "example-org",
  tunnelName: "ocs-tunnel",
  apps: [{ name: "OCS", hostname: "ocs.example.org", service: "http://ocs-web:8000" }],
  privateNetwork: {
    cidr: "172.18.0.0/16",
    internalDomain: "ocs.internal",
    dnsmasqAddress: "172.18.0.53",
    hosts: { "ocs.internal": "172.18.0.7" },
  },
};

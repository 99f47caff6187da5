import { expect, test } from "vitest";
import { destinationConf } from "../../src/model/logpush";

// destination_conf strings in the formats Cloudflare's Logpush documentation gives for each destination.

const account = "0123456789abcdef0123456789abcdef";

test("R2 carries the account and the key pair, URL-encoded", () => {
  expect(
    destinationConf(
      { destination: "r2", bucket: "audit", path: "zt" },
      account,
      "access_requests",
      "KEYID:se/cret+",
    ),
  ).toBe(
    `r2://audit/zt/access_requests/{DATE}?account-id=${account}&access-key-id=KEYID&secret-access-key=se%2Fcret%2B`,
  );
});

test("S3 needs only bucket, path and region (ownership is proven separately)", () => {
  expect(
    destinationConf(
      { destination: "s3", bucket: "audit", path: "/logs/", region: "eu-west-1" },
      account,
      "gateway_dns",
      "",
    ),
  ).toBe("s3://audit/logs/gateway_dns/{DATE}?region=eu-west-1");
});

test("Splunk and Datadog put the credential in a header parameter", () => {
  expect(
    destinationConf(
      {
        destination: "splunk",
        url: "https://splunk.example.org:8088/services/collector/raw",
        channel: "ch-1",
        sourcetype: "cloudflare:zerotrust",
      },
      account,
      "gateway_http",
      "hec",
    ),
  ).toBe(
    "splunk://splunk.example.org:8088/services/collector/raw?channel=ch-1&insecure-skip-verify=false&sourcetype=cloudflare%3Azerotrust&header_Authorization=Splunk%20hec",
  );
  expect(
    destinationConf(
      { destination: "datadog", url: "https://http-intake.logs.datadoghq.eu/api/v2/logs" },
      account,
      "gateway_network",
      "k",
    ),
  ).toBe(
    "datadog://http-intake.logs.datadoghq.eu/api/v2/logs?header_DD-API-KEY=k&ddsource=cloudflare&service=zero-trust&ddtags=dataset:gateway_network",
  );
});

test("an R2 credential without the key pair is refused", () => {
  expect(() =>
    destinationConf(
      { destination: "r2", bucket: "audit", path: "zt" },
      account,
      "access_requests",
      "onlyone",
    ),
  ).toThrow("ACCESS_KEY_ID:SECRET_ACCESS_KEY");
});

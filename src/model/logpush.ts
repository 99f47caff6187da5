import { LOGPUSH_DATASETS, LogpushConfig } from "../config/schema";

// destination_conf strings as Cloudflare's Logpush docs define them. Credentials are part of the string,
// so the result is always handled as a Pulumi secret by the caller.

export const logpushDatasets = LOGPUSH_DATASETS;

/**
 * `secret` is the destination's credential: for r2 "ACCESS_KEY_ID:SECRET_ACCESS_KEY", for splunk the HEC
 * token, for datadog the API key; s3 uses a bucket policy and needs none.
 */
export function destinationConf(
  cfg: LogpushConfig,
  accountId: string,
  dataset: string,
  secret: string,
): string {
  const path = (p: string) => `${p.replace(/^\/+|\/+$/g, "")}/${dataset}/{DATE}`;
  switch (cfg.destination) {
    case "r2": {
      const [keyId, key] = splitPair(secret);
      return `r2://${cfg.bucket}/${path(cfg.path)}?account-id=${accountId}&access-key-id=${enc(keyId)}&secret-access-key=${enc(key)}`;
    }
    case "s3":
      return `s3://${cfg.bucket}/${path(cfg.path)}?region=${enc(cfg.region)}`;
    case "splunk":
      return `splunk://${cfg.url.replace(/^https?:\/\//, "")}?channel=${enc(cfg.channel)}&insecure-skip-verify=false&sourcetype=${enc(cfg.sourcetype)}&header_Authorization=${enc(`Splunk ${secret}`)}`;
    case "datadog":
      return `datadog://${cfg.url.replace(/^https?:\/\//, "")}?header_DD-API-KEY=${enc(secret)}&ddsource=cloudflare&service=zero-trust&ddtags=dataset:${dataset}`;
  }
}

/** Which credential the destination needs, for config validation messages. */
export function credentialHint(cfg: LogpushConfig): string | undefined {
  switch (cfg.destination) {
    case "r2":
      return "ACCESS_KEY_ID:SECRET_ACCESS_KEY of an R2 API token with write access to the bucket";
    case "splunk":
      return "the Splunk HEC token";
    case "datadog":
      return "the Datadog API key";
    case "s3":
      return undefined;
  }
}

function splitPair(secret: string): [string, string] {
  const i = secret.indexOf(":");
  if (i <= 0) throw new Error("zt:logpushSecret for r2 must be ACCESS_KEY_ID:SECRET_ACCESS_KEY");
  return [secret.slice(0, i), secret.slice(i + 1)];
}

const enc = encodeURIComponent;

// Access: applications, groups, reusable policies and authentication logs, one file each.
import type { Router } from "../router";
import { registerAccessApps } from "./access-apps";
import { registerAccessGroups } from "./access-groups";
import { registerAccessLogs } from "./access-logs";
import { registerAccessPolicies } from "./access-policies";

export function registerAccess(r: Router): void {
  registerAccessApps(r);
  registerAccessGroups(r);
  registerAccessPolicies(r);
  registerAccessLogs(r);
}

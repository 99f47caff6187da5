// Shared by the Access files (apps, groups, policies, logs).
import type { Obj } from "../http";

export const CODE = 12130; // Cloudflare Access: access.api.error.invalid_request

/** PUT-full: the stored object becomes the new one (same object, new content). */
export function replaceInPlace(target: Obj, next: Obj): Obj {
  Object.keys(target).forEach((k) => delete target[k]);
  return Object.assign(target, next);
}

/**
 * Role mapping from the ID token (KLOE_OIDC_ROLE_CLAIM and KLOE_OIDC_ROLE_MAP): the first rule, in the
 * configured order, whose value the claim holds. Entra ID sends app roles in `roles` and group object ids
 * in `groups`, as arrays; other providers may send one string.
 */
import type { RoleRule } from '../../config.js';

export function mappedRole(rules: readonly RoleRule[], claim: unknown): RoleRule | undefined {
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string'));
  return rules.find((rule) => values.has(rule.value));
}

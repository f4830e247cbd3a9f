export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Each role can do what the roles before it can: a viewer reads, an operator also acts, an admin also configures. */
export function roleAllows(held: Role, required: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(required);
}

/** Who is calling, once the bearer token is known. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
}

/** The audit log's name for an API caller. */
export const actorOf = (p: Principal) => `api:${p.name}`;

import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError, UnauthorizedError } from '../../errors.js';
import type { ApiTokens } from '../../auth/api-tokens.js';
import { roleAllows, type Principal, type Role } from '../../auth/roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; by default viewer for GET, operator for anything else. */
    role?: Role;
    /** Served without a token (the OpenAPI document). */
    public?: boolean;
  }
}

export interface AuthOptions {
  tokens: ApiTokens;
}

/** The caller of an authenticated route (set by the auth plugin before any handler runs). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError('no authenticated caller');
  return request.principal;
}

/**
 * Bearer API tokens with roles: every route of the scope it is registered in needs a valid token
 * whose role reaches the route's `config.role`.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, { tokens }: AuthOptions) => {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      if (config.public || request.routeOptions.url === undefined) return;
      const header = request.headers.authorization;
      const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (!token)
        throw new UnauthorizedError('an API token is required: Authorization: Bearer <token>', {
          hint: 'create one with esimctl token create --role <admin|operator|viewer>',
        });
      const principal = await tokens.authenticate(token);
      if (!principal) throw new UnauthorizedError('the API token is unknown or revoked');
      const required: Role = config.role ?? (request.method === 'GET' ? 'viewer' : 'operator');
      if (!roleAllows(principal.role, required))
        throw new ForbiddenError(`this needs the ${required} role; the token has ${principal.role}`, {
          required,
          role: principal.role,
        });
      request.principal = principal;
    });
  },
  { name: 'auth' },
);

/**
 * Who is making a request, and what a route demands of them. Every route declares `config.access`;
 * the access hook (access.hooks.ts) refuses to register a route without one and enforces it before
 * the handler runs, so handlers never repeat "is someone signed in" checks. What a person may do
 * to a particular record is decided by the module's policy file (<m>.policy.ts).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import type { Role, TokenScope } from './accounts.tables.js';

export type { Role, TokenScope };

export interface UserActor {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** The organisation of an organisation member or viewer; null for administrators and inspectors. */
  organisationId: string | null;
  /** How they proved who they are: a browser session, or an API token. */
  via: 'session' | 'token';
  sessionId: string | null;
  /** The API token's scope and expiry, when `via` is token (absent for actors made in code, such as the demo). */
  token?: { scope: TokenScope; expiresAt: Date };
}

export interface AnonymousActor {
  kind: 'anonymous';
}

export type Actor = UserActor | AnonymousActor;

/**
 * What a route requires: `public` (anyone), `signed-in` (any person), or one of some roles.
 * Record-level rules (tenant isolation) come on top, in the module's policy.
 */
export type Access = 'public' | 'signed-in' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** The signed-in person behind a request on a route whose access is not public. */
export function currentUser(request: FastifyRequest): UserActor {
  if (request.actor.kind !== 'user') throw new AppError('sign_in_required', 401, 'Sign in to continue');
  return request.actor;
}

/** How the actor appears in the audit trail and on pages. */
export function actorLabel(actor: UserActor): string {
  return `${actor.name} <${actor.email}>`;
}

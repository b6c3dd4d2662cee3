import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ApiRole } from '@rapport/config';
import { forbidden, unauthorized } from '../problem-details';
import {
  API_KEY_AUTHENTICATOR,
  roleAllows,
  type ApiKeyAuthenticator,
  type AuthenticatedKey,
} from './api-key.authenticator';
import { presentedApiKey } from './api-key.credentials';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export interface AuthenticatedRequest {
  apiKey?: AuthenticatedKey;
}

/**
 * Global: every route needs a key with an allowed role unless it is @Public. 401 when the key
 * is missing or unknown (with a WWW-Authenticate challenge), 403 when its role may not. The key
 * itself is normally known already (authenticateFirst, before the body); this adds the role.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_AUTHENTICATOR) private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<ApiRole[]>(ROLES_KEY, targets) ?? ['admin'];
    const request = context
      .switchToHttp()
      .getRequest<
        AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }
      >();
    const key = request.apiKey ?? this.authenticate(request.headers);
    request.apiKey = key;
    if (!roleAllows(key.role, allowed)) {
      throw forbidden(`this route needs the role ${allowed.join(' or ')}; the key has ${key.role}`);
    }
    return true;
  }

  /** authenticateFirst has normally done this before the body was read; here for any request it didn't see. */
  private authenticate(headers: Record<string, string | string[] | undefined>): AuthenticatedKey {
    const presented = presentedApiKey(headers);
    if (!presented) {
      throw unauthorized(
        'send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>"',
        'API_KEY_MISSING',
      );
    }
    const key = this.authenticator.authenticate(presented);
    if (!key) throw unauthorized('the API key is not known', 'API_KEY_UNKNOWN');
    return key;
  }
}

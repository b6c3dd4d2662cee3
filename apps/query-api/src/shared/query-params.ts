import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ZONED_DATE_TIME, flattenValidationErrors } from '@rapport/contract';
import { badRequest } from '@rapport/http';

/**
 * Checks query parameters against a class-validator DTO: unknown parameters and bad values
 * are refused with 400 problem details naming each parameter.
 */
export function parseQuery<T extends object>(
  dto: ClassConstructor<T>,
  raw: Record<string, unknown>,
): T {
  const instance = plainToInstance(dto, raw, { enableImplicitConversion: true });
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw badRequest('invalid query parameters', flattenValidationErrors(errors));
  }
  return instance;
}

/** `asOf` as given (ISO 8601 with a zone), normalised to UTC; default: now. */
export function parseAsOf(value: string | undefined, now = new Date()): string {
  if (value === undefined || value === '') return now.toISOString();
  const ms = Date.parse(value);
  if (!ZONED_DATE_TIME.test(value) || Number.isNaN(ms)) {
    throw badRequest('invalid query parameters', [
      {
        path: 'asOf',
        message:
          'asOf must be an ISO 8601 date-time with Z or an offset, e.g. 2026-11-27T00:00:00Z',
      },
    ]);
  }
  return new Date(ms).toISOString();
}

import {
  Injectable,
  Query,
  type ArgumentMetadata,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { badRequest, type ProblemError } from '../problem-details';
import { MIN_POSITION_QUERY } from '../read-your-writes/min-position';
import { FORMAT_QUERY } from '../csv/csv.negotiation';

/**
 * Handled by the edge itself, so no query DTO has to declare them: minPosition by the
 * read-your-writes guard, format (json|csv) checked here and read by wantsCsv.
 */
const EDGE_PARAMETERS = [MIN_POSITION_QUERY, FORMAT_QUERY];
const PRIMITIVES: readonly unknown[] = [String, Number, Boolean, Object, Array];

/**
 * DTOs an empty query has passed once. Most reads come without parameters, and the answer for
 * an empty query never changes, so class-validator's walk of the metadata is spared for them.
 */
const VALID_WHEN_EMPTY = new WeakSet<Type<object>>();

/**
 * Turns the query string into the DTO class and validates it with class-validator. Unknown
 * parameters are refused (a typo must not silently widen a filter), and every problem names
 * its parameter: 400 with `errors: [{ path: 'limit', message }]`.
 */
@Injectable()
export class ValidatedQueryPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype as Type<object> | undefined;
    if (!type || PRIMITIVES.includes(type)) return value;
    const raw: Record<string, unknown> = { ...((value as Record<string, unknown>) ?? {}) };
    for (const name of EDGE_PARAMETERS) delete raw[name];
    const dto = plainToInstance(type, raw);
    const empty = Object.keys(raw).length === 0;
    const format = (value as Record<string, unknown> | undefined)?.[FORMAT_QUERY];
    const formatProblems =
      format === undefined || format === 'json' || format === 'csv'
        ? []
        : [{ path: FORMAT_QUERY, message: 'format must be one of: json, csv' }];
    if (empty && !formatProblems.length && VALID_WHEN_EMPTY.has(type)) return dto;
    const errors = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      validationError: { target: false, value: false },
    });
    if (empty && !errors.length) VALID_WHEN_EMPTY.add(type);
    if (errors.length || formatProblems.length) {
      const problems = [...flatten(errors), ...formatProblems];
      throw badRequest(
        `invalid query parameters: ${[...new Set(problems.map((p) => p.path))].join(', ')}`,
        problems,
      );
    }
    return dto;
  }
}

/** `@ValidatedQuery() query: SomeQueryDto` in a controller method. */
export function ValidatedQuery(): ParameterDecorator {
  return Query(ValidatedQueryPipe);
}

function flatten(errors: readonly ValidationError[], prefix = ''): ProblemError[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.replace(/^property \S+ /, 'parameter '),
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

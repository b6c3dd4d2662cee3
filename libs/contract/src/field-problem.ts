import type { ValidationError } from 'class-validator';

/** One thing wrong with an input, and where: a dotted path such as `data.amount.minor`. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * A wrong type says more than any rule about the value's content: "must be a string" before
 * "must be 1–200 characters". Constraints not listed rank after these, in their own order.
 */
const FIRST_SAID = [
  'isDefined',
  'nestedValidation',
  'isObject',
  'isArray',
  'isString',
  'isInt',
  'matches',
];

const MONEY_EXAMPLE = '{ "minor": 4999, "currency": "EUR" } (4999 minor units = 49.99 EUR)';

/**
 * One problem per field, said for a person: a missing field is "required" (not "must be a
 * string" and "must be longer than…"), a field with several broken rules gets the most
 * telling one, a nested object that is not an object says what it should look like. `input`
 * is the raw object validated, to tell a missing field from a wrong one.
 */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  prefix = '',
  input?: unknown,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = joinPath(prefix, error.property);
    const value = valueOf(input, error.property);
    const constraints = error.constraints ?? {};
    const names = Object.keys(constraints);
    if (names.length && value === undefined) {
      problems.push({ path, message: `${path} is required` });
    } else if (names.length) {
      problems.push({ path, message: mostTelling(path, error.property, constraints) });
    }
    if (error.children?.length)
      problems.push(...flattenValidationErrors(error.children, path, value));
  }
  return problems;
}

function mostTelling(path: string, property: string, constraints: Record<string, string>): string {
  const names = Object.keys(constraints);
  const first = FIRST_SAID.find((name) => name in constraints) ?? names[0];
  if (first === 'nestedValidation')
    return property === 'amount'
      ? `${path} must be an object such as ${MONEY_EXAMPLE}`
      : `${path} must be an object`;
  return constraints[first];
}

function valueOf(input: unknown, property: string): unknown {
  if (typeof input !== 'object' || input === null) return undefined;
  return Object.prototype.hasOwnProperty.call(input, property)
    ? (input as Record<string, unknown>)[property]
    : undefined;
}

export function joinPath(prefix: string, property: string): string {
  if (/^\d+$/.test(property)) return `${prefix}[${property}]`;
  return prefix ? `${prefix}.${property}` : property;
}

import type { ValidationError } from 'class-validator';

/** One thing wrong with an input, and where: a dotted path such as `data.amount.minor`. */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export function flattenValidationErrors(
  errors: readonly ValidationError[],
  prefix = '',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const path = joinPath(prefix, error.property);
    for (const message of Object.values(error.constraints ?? {})) problems.push({ path, message });
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, path));
  }
  return problems;
}

export function joinPath(prefix: string, property: string): string {
  if (/^\d+$/.test(property)) return `${prefix}[${property}]`;
  return prefix ? `${prefix}.${property}` : property;
}

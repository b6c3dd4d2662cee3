import { Transform } from 'class-transformer';

/**
 * Query values arrive as strings (or arrays of strings when repeated). These turn them into
 * what the DTO declares, leaving anything odd as it is for class-validator to reject by name.
 */
export function ToInt(): PropertyDecorator {
  return Transform(({ value }) =>
    typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
  );
}

/** `?type=a,b`, `?type=a&type=b` and both mixed: all become ['a', 'b']. */
export function ToList(): PropertyDecorator {
  return Transform(({ value }) => {
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string')) return value;
    return (values as string[])
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  });
}

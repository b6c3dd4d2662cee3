import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ProblemDetailsException } from '../problem-details';
import { ToInt, ToList } from './query.transforms';
import { ValidatedQueryPipe } from './validated-query.pipe';

class SampleQuery {
  @IsOptional() @ToInt() @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @ToList() @IsIn(['a', 'b'], { each: true }) kind?: string[];
}

class RequiredQuery {
  @IsString() name!: string;
}

describe('validated query parameters', () => {
  const pipe = new ValidatedQueryPipe();
  const run = (query: Record<string, unknown>) =>
    pipe.transform(query, { type: 'query', metatype: SampleQuery });

  it('converts and returns the DTO', async () => {
    await expect(run({ limit: '5', kind: 'a,b' })).resolves.toEqual(
      Object.assign(new SampleQuery(), { limit: 5, kind: ['a', 'b'] }),
    );
    await expect(run({ kind: ['a', 'b,a'] })).resolves.toMatchObject({ kind: ['a', 'b', 'a'] });
  });

  it('leaves the edge parameters (minPosition, format) to the edge', async () => {
    await expect(run({ minPosition: '3', format: 'csv' })).resolves.toEqual(new SampleQuery());
  });

  it('refuses bad and unknown parameters with a 400 naming each', async () => {
    const error = await run({ limit: '0', kind: 'c', colour: 'red' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemDetailsException);
    const problem = (error as ProblemDetailsException).problem;
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['colour', 'kind', 'limit']);
  });

  it('refuses a number that is not one', async () => {
    const error = await run({ limit: 'ten' }).catch((e: unknown) => e);
    const errors = (error as ProblemDetailsException).problem.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.path === 'limit')).toBe(true);
  });

  describe('when the query is empty', () => {
    it('answers a new DTO every time, the first time validated and later from memory', async () => {
      const first = await run({});
      const second = await run({ format: 'json' });
      expect(first).toEqual(new SampleQuery());
      expect(second).toEqual(new SampleQuery());
      expect(second).not.toBe(first);
    });

    it('still refuses it every time where a parameter is required', async () => {
      for (let i = 0; i < 2; i++) {
        const error = await pipe
          .transform({}, { type: 'query', metatype: RequiredQuery })
          .catch((e: unknown) => e);
        expect((error as ProblemDetailsException).problem.errors?.[0]?.path).toBe('name');
      }
    });

    it('still checks the format', async () => {
      await run({});
      const error = await run({ format: 'xml' }).catch((e: unknown) => e);
      expect((error as ProblemDetailsException).problem.errors?.[0]?.path).toBe('format');
    });
  });
});

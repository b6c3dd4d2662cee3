import { DEFAULT_IDENTITY_RULES } from '@rapport/identity';
import { ConfigError, loadConfig } from './rapport.config';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('identity configuration', () => {
  it('when nothing is set, then phones must be international and only built-in types exist', () => {
    expect(loadConfig({}).identity).toEqual({ extraTypes: [], rules: DEFAULT_IDENTITY_RULES });
  });

  it('when a region and extra types are set, then they are taken', () => {
    expect(
      loadConfig({ IDENTITY_DEFAULT_REGION: 'de', IDENTITY_EXTRA_TYPES: 'memberNo, crmId' })
        .identity,
    ).toMatchObject({ defaultRegion: 'DE', extraTypes: ['memberNo', 'crmId'] });
  });

  it('when merge types and limits are set, then they replace the defaults they name', () => {
    const { rules } = loadConfig({
      IDENTITY_EXTRA_TYPES: 'memberNo',
      IDENTITY_MERGE_TYPES: 'email, memberNo',
      IDENTITY_LIMITS: 'email=2,memberNo=1',
    }).identity;
    expect(rules.mergeTypes).toEqual(['email', 'memberNo']);
    expect(rules.limits).toMatchObject({ email: 2, memberNo: 1, customerId: 1 });
  });

  it('when IDENTITY_MERGE_TYPES is none, then no type merges; left empty, the defaults', () => {
    expect(loadConfig({ IDENTITY_MERGE_TYPES: 'none' }).identity.rules.mergeTypes).toEqual([]);
    expect(loadConfig({ IDENTITY_MERGE_TYPES: ' NONE ' }).identity.rules.mergeTypes).toEqual([]);
    expect(loadConfig({ IDENTITY_MERGE_TYPES: '' }).identity.rules.mergeTypes).toEqual(
      DEFAULT_IDENTITY_RULES.mergeTypes,
    );
    expect(problemsOf({ IDENTITY_EXTRA_TYPES: 'none' })).toContain('"none" is reserved');
  });

  it('when values are wrong, then the start fails naming each variable', () => {
    const message = problemsOf({
      IDENTITY_DEFAULT_REGION: 'XX',
      IDENTITY_EXTRA_TYPES: 'email,Bad Type',
      IDENTITY_MERGE_TYPES: 'fax',
      IDENTITY_LIMITS: 'email=0,fax=3',
    });
    expect(message).toContain('IDENTITY_MERGE_TYPES: "fax" is no identifier type');
    expect(message).toContain('IDENTITY_LIMITS: "email=0" must be type=max');
    expect(message).toContain('IDENTITY_LIMITS: "fax=3" must be type=max');
    expect(message).toContain('IDENTITY_DEFAULT_REGION must be an ISO 3166 region');
    expect(message).toContain('IDENTITY_EXTRA_TYPES: "email" is built in');
    expect(message).toContain('IDENTITY_EXTRA_TYPES: "Bad Type" must be 1–32 letters');
  });
});

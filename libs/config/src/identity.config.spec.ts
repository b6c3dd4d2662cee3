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
    expect(loadConfig({}).identity).toEqual({ extraTypes: [] });
  });

  it('when a region and extra types are set, then they are taken', () => {
    expect(
      loadConfig({ IDENTITY_DEFAULT_REGION: 'de', IDENTITY_EXTRA_TYPES: 'memberNo, crmId' })
        .identity,
    ).toEqual({ defaultRegion: 'DE', extraTypes: ['memberNo', 'crmId'] });
  });

  it('when values are wrong, then the start fails naming each variable', () => {
    const message = problemsOf({
      IDENTITY_DEFAULT_REGION: 'XX',
      IDENTITY_EXTRA_TYPES: 'email,Bad Type',
    });
    expect(message).toContain('IDENTITY_DEFAULT_REGION must be an ISO 3166 region');
    expect(message).toContain('IDENTITY_EXTRA_TYPES: "email" is built in');
    expect(message).toContain('IDENTITY_EXTRA_TYPES: "Bad Type" must be 1–32 letters');
  });
});

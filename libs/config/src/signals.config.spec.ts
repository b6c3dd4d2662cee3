import { ConfigError, loadConfig } from './rapport.config';

describe('signals configuration', () => {
  it('when nothing is set, then every rule is on with its defaults and the topic is customer-signals', () => {
    const { signals } = loadConfig({});
    expect(signals.topic).toBe('customer-signals');
    expect(signals.publish).toBe(true);
    expect(signals.rules.thankYou).toMatchObject({
      enabled: true,
      milestones: [5, 10, 25, 50, 100],
    });
    expect(signals.rules.complaintFollowUp.openAfterHours).toBe(48);
  });

  it('when thresholds and switches are set, then they are taken', () => {
    const { signals } = loadConfig({
      SIGNALS_TOPIC: 'crm.signals',
      SIGNALS_FREEZING_POINT: 'false',
      SIGNALS_CANCELLATION_SHARE: '0.25',
      SIGNALS_THANK_YOU_MILESTONES: '10, 3',
      SIGNALS_TIER_MOVE_UP: 'false',
      SIGNALS_WIN_BACK_TIERS: 'c, a',
      SIGNALS_POPULATION_WINDOW_SECONDS: '3600',
    });
    expect(signals.topic).toBe('crm.signals');
    expect(signals.rules.freezingPoint.enabled).toBe(false);
    expect(signals.rules.cancellationSave.share).toBe(0.25);
    expect(signals.rules.thankYou.milestones).toEqual([3, 10]);
    expect(signals.rules.tierMove).toEqual({ enabled: true, up: false, expiresAfterDays: 30 });
    expect(signals.rules.winBack.tiers).toEqual(['A', 'C']);
    expect(signals.populationWindowSeconds).toBe(3600);
  });

  it('when values are wrong, then the start fails naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({
        SIGNALS_CANCELLATION_SHARE: '1.5',
        SIGNALS_COMPLAINT_OPEN_HOURS: '-1',
        SIGNALS_THANK_YOU: 'maybe',
        SIGNALS_THANK_YOU_MILESTONES: '5,x',
        SIGNALS_FREEZING_MIN_PURCHASES: '2',
        SIGNALS_WIN_BACK_TIERS: 'A,D',
        SIGNALS_TIER_MOVE: 'yes',
        SIGNALS_POPULATION_WINDOW_SECONDS: '0',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'SIGNALS_CANCELLATION_SHARE must be a number from 0.01 to 1',
      'SIGNALS_COMPLAINT_OPEN_HOURS must be an integer',
      'SIGNALS_THANK_YOU must be true or false',
      'SIGNALS_THANK_YOU_MILESTONES must be purchase counts',
      'SIGNALS_FREEZING_MIN_PURCHASES must be an integer from 3',
      'SIGNALS_WIN_BACK_TIERS must be value tiers among A, B, C',
      'SIGNALS_TIER_MOVE must be true or false',
      'SIGNALS_POPULATION_WINDOW_SECONDS must be an integer from 1',
    ])
      expect(message).toContain(name);
  });

  it('when a webhook URL is set, then its secret is required and its settings are read', () => {
    const { signals } = loadConfig({
      SIGNALS_WEBHOOK_URL: 'https://crm.example/hooks/rapport',
      SIGNALS_WEBHOOK_SECRET: 'a-shared-secret-of-32-characters',
      SIGNALS_WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(signals.webhook).toMatchObject({
      url: 'https://crm.example/hooks/rapport',
      maxAttempts: 3,
      ratePerSecond: 10,
    });
    expect(loadConfig({}).signals.webhook).toBeUndefined();
    expect(() =>
      loadConfig({ SIGNALS_WEBHOOK_URL: 'ftp://crm.example', SIGNALS_WEBHOOK_SECRET: 'short' }),
    ).toThrow(
      /SIGNALS_WEBHOOK_URL must be an http\(s\) URL[\s\S]*SIGNALS_WEBHOOK_SECRET must be set/,
    );
  });

  it('when the webhook start is set, then now (the default) or backfill is taken, anything else named', () => {
    const base = {
      SIGNALS_WEBHOOK_URL: 'https://crm.example/hooks/rapport',
      SIGNALS_WEBHOOK_SECRET: 'a-shared-secret-of-32-characters',
    };
    expect(loadConfig(base).signals.webhook?.start).toBe('now');
    expect(loadConfig({ ...base, SIGNALS_WEBHOOK_START: 'Backfill' }).signals.webhook?.start).toBe(
      'backfill',
    );
    expect(() => loadConfig({ ...base, SIGNALS_WEBHOOK_START: 'all' })).toThrow(
      'SIGNALS_WEBHOOK_START must be now or backfill (got "all")',
    );
  });

  it('when the already-high win-back limit is set, then it is taken (0: none)', () => {
    expect(loadConfig({}).signals.rules.winBack.alreadyHighLimit).toBe(100);
    expect(
      loadConfig({ SIGNALS_WIN_BACK_ALREADY_HIGH_LIMIT: '0' }).signals.rules.winBack
        .alreadyHighLimit,
    ).toBe(0);
  });
});

import { mulberry32 } from '@rapport/analytics';
import type { Channel, IncomingTouchpoint, Touchpoint } from '@rapport/domain';

const DAY = 86_400_000;

/** Which way a demo person first shows up, before a touchpoint names their customerId. */
export const IDENTITY_STORIES = ['web-login', 'email-known', 'phone-known'] as const;
export type IdentityStory = (typeof IDENTITY_STORIES)[number];

export interface IdentityStoriesOptions {
  /** People, taking the stories in turn (web login, email, phone). */
  readonly people: number;
  /** Family tablets: each is used to log in by two customers, a merge the limits must refuse. */
  readonly sharedDevices: number;
  readonly seed: number;
  /** Last instant of the stories (ISO 8601): the same seed gives the same bytes. */
  readonly endAt: string;
  readonly currency?: string;
}

/** Where each story can be seen: the identifiers to look up once the demo is loaded. */
export interface IdentityStoryExamples {
  readonly webLogin?: { readonly customerId: string; readonly anonymousId: string };
  readonly emailKnown?: { readonly customerId: string; readonly email: string };
  readonly phoneKnown?: { readonly customerId: string; readonly phone: string };
  readonly sharedDevice?: { readonly anonymousId: string; readonly customerIds: readonly string[] };
}

type Random = () => number;

/**
 * People whose touchpoints name them in different ways, for identity resolution to stitch:
 * anonymous web visits that later log in (the anonymousId, then the customerId with it); an
 * email platform that knows only an address, until an order names the customer with it; a
 * call centre that knows only a phone number, until a store purchase does; and family tablets
 * on which two customers log in, one customerId too many for a profile, so the second login's
 * merge must be refused. Each person's touchpoints come in event-time order; same options, same
 * touchpoints. Customer ids are `C-ID-…`, apart from the main history's.
 */
export function* generateIdentityStories(
  options: IdentityStoriesOptions,
): Generator<IncomingTouchpoint> {
  const end = Date.parse(options.endAt);
  if (Number.isNaN(end)) throw new Error(`endAt is not a date: ${options.endAt}`);
  const currency = options.currency ?? 'EUR';
  for (let k = 0; k < options.people; k++) {
    const random = mulberry32(mix(options.seed, k));
    const story = IDENTITY_STORIES[k % IDENTITY_STORIES.length];
    const person = { customerId: customerIdOf(k), k, seed: options.seed, currency };
    const device = sharedDeviceOf(k, options);
    yield* storyOf(story, person, device, random, end);
  }
}

/** The identifiers behind each story, to look up: the first person of each, the first tablet. */
export function identityStoryExamples(options: IdentityStoriesOptions): IdentityStoryExamples {
  const firstOf = (story: IdentityStory) => {
    const k = IDENTITY_STORIES.indexOf(story);
    return k < options.people ? k : undefined;
  };
  const web = firstOf('web-login');
  const email = firstOf('email-known');
  const phone = firstOf('phone-known');
  const tabletUsers = usersOfSharedDevice(0, options);
  return {
    ...(web === undefined
      ? {}
      : {
          webLogin: {
            customerId: customerIdOf(web),
            anonymousId: anonymousIdOf(options.seed, web),
          },
        }),
    ...(email === undefined
      ? {}
      : { emailKnown: { customerId: customerIdOf(email), email: emailOf(options.seed, email) } }),
    ...(phone === undefined
      ? {}
      : { phoneKnown: { customerId: customerIdOf(phone), phone: phoneOf(phone) } }),
    ...(tabletUsers.length < 2
      ? {}
      : {
          sharedDevice: {
            anonymousId: sharedDeviceIdOf(options.seed, 0),
            customerIds: tabletUsers.map(customerIdOf),
          },
        }),
  };
}

interface Person {
  readonly customerId: string;
  readonly k: number;
  readonly seed: number;
  readonly currency: string;
}

/** A shared device and whether this person is its first user (who browsed on it before). */
interface DeviceUse {
  readonly anonymousId: string;
  readonly first: boolean;
}

function storyOf(
  story: IdentityStory,
  person: Person,
  device: DeviceUse | undefined,
  random: Random,
  end: number,
): IncomingTouchpoint[] {
  const touchpoints: IncomingTouchpoint[] = [];
  const { customerId } = person;
  let sequence = 0;
  const add = (
    source: string,
    at: number,
    channel: Channel,
    who: { customerId?: string; identifiers?: Touchpoint['identifiers'] },
    rest: Pick<Touchpoint, 'type' | 'data'>,
  ) => {
    sequence += 1;
    touchpoints.push({
      // Named by the person's number, not the customerId an anonymous touchpoint can't know.
      touchpointId: `${source}-person-${person.seed}-${person.k + 1}-${sequence}`,
      source,
      ...who,
      occurredAt: new Date(Math.floor(Math.min(at, end) / 1000) * 1000).toISOString(),
      channel,
      ...rest,
    } as IncomingTouchpoint);
  };
  // The story unfolds over the 60 days before the end, the link about half-way.
  const start = end - 60 * DAY + random() * 10 * DAY;
  const linkAt = start + (20 + random() * 15) * DAY;
  const visit = (at: number, who: Parameters<typeof add>[3]) =>
    add('webshop', at, 'web', who, {
      type: 'web_visit',
      data: { url: `https://shop.example.com/p/${1 + Math.floor(random() * 400)}` },
    });
  const order = (at: number, channel: Channel, who: Parameters<typeof add>[3], n: number) =>
    add(channel === 'store' ? 'pos' : 'webshop', at, channel, who, {
      type: 'purchase',
      data: {
        orderId: `O-${customerId}-${n}`,
        amount: { minor: 1_500 + Math.floor(random() * 12_000), currency: person.currency },
      },
    });

  switch (story) {
    case 'web-login': {
      const anonymous = [{ type: 'anonymousId', value: anonymousIdOf(person.seed, person.k) }];
      for (let at = start; at < linkAt; at += (2 + random() * 6) * DAY)
        visit(at, { identifiers: anonymous });
      // The login: the customerId and the visitor's anonymousId on one touchpoint.
      visit(linkAt, { customerId, identifiers: anonymous });
      order(linkAt + 600_000, 'web', { customerId }, 1);
      if (device) {
        const tablet = [{ type: 'anonymousId', value: device.anonymousId }];
        const onTabletAt = linkAt + (2 + random() * 5) * DAY;
        if (device.first) visit(onTabletAt - DAY, { identifiers: tablet });
        visit(onTabletAt, { customerId, identifiers: tablet });
      }
      visit(linkAt + (10 + random() * 10) * DAY, { customerId, identifiers: anonymous });
      break;
    }
    case 'email-known': {
      const email = [{ type: 'email', value: emailOf(person.seed, person.k) }];
      const campaign = (at: number, action: 'sent' | 'opened', n: number) =>
        add(
          'email-platform',
          at,
          'email',
          { identifiers: email },
          {
            type: 'email',
            data: { direction: 'outbound', action, campaignId: `CMP-ID-${n}` },
          },
        );
      campaign(start, 'sent', 1);
      if (random() < 0.7) campaign(start + random() * 2 * DAY, 'opened', 1);
      // The order names the customer and the address the account was opened with.
      order(linkAt, 'web', { customerId, identifiers: email }, 1);
      campaign(linkAt + 14 * DAY, 'sent', 2);
      campaign(linkAt + (14 + random() * 3) * DAY, 'opened', 2);
      break;
    }
    case 'phone-known': {
      const phone = [{ type: 'phone', value: phoneOf(person.k) }];
      const call = (at: number, reason: string) =>
        add(
          'callcentre',
          at,
          'phone',
          { identifiers: phone },
          {
            type: 'call',
            data: {
              direction: 'inbound',
              durationSeconds: 60 + Math.floor(random() * 600),
              reason,
            },
          },
        );
      call(start, 'product advice');
      // At the till the customer gives their number for the loyalty scheme.
      order(linkAt, 'store', { customerId, identifiers: phone }, 1);
      call(linkAt + (5 + random() * 10) * DAY, 'order status');
      break;
    }
  }
  return touchpoints
    .filter((tp) => Date.parse(tp.occurredAt) <= end)
    .sort((x, y) => (x.occurredAt < y.occurredAt ? -1 : x.occurredAt > y.occurredAt ? 1 : 0));
}

/** Tablet d is shared by the web-login people 2d and 2d + 1 (in the order they come). */
function sharedDeviceOf(k: number, options: IdentityStoriesOptions): DeviceUse | undefined {
  if (IDENTITY_STORIES[k % IDENTITY_STORIES.length] !== 'web-login') return undefined;
  const webLoginIndex = Math.floor(k / IDENTITY_STORIES.length);
  const d = Math.floor(webLoginIndex / 2);
  if (d >= options.sharedDevices) return undefined;
  if (usersOfSharedDevice(d, options).length < 2) return undefined;
  return { anonymousId: sharedDeviceIdOf(options.seed, d), first: webLoginIndex % 2 === 0 };
}

function usersOfSharedDevice(d: number, options: IdentityStoriesOptions): number[] {
  if (d >= options.sharedDevices) return [];
  return [2 * d, 2 * d + 1]
    .map((webLoginIndex) => webLoginIndex * IDENTITY_STORIES.length)
    .filter((k) => k < options.people);
}

function customerIdOf(k: number): string {
  return `C-ID-${String(k + 1).padStart(6, '0')}`;
}

function anonymousIdOf(seed: number, k: number): string {
  return `anon-${seed}-${mix(seed, k).toString(36)}-${k}`;
}

function sharedDeviceIdOf(seed: number, d: number): string {
  return `tablet-${seed}-${d}`;
}

function emailOf(seed: number, k: number): string {
  return `person${k + 1}.s${seed}@example.com`;
}

/** London numbers in E.164, as the contract normalises them (+44 20 7946 xxxx). */
function phoneOf(k: number): string {
  return `+44207946${String(k % 10_000).padStart(4, '0')}`;
}

/** Mixes the seed and the person's number into an independent 32-bit stream seed. */
function mix(seed: number, index: number): number {
  let h = (seed ^ 0x7f4a7c15) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

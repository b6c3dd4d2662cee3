import { join } from 'node:path';
import { describeIfAvailable, redisServerInstalled } from '@rapport/test-support';
import { spawnPlatform, type ChildPlatform } from './support/child-platform';
import { exactlyOnce, readAllEvents, sleep, touchpointKey } from './support/consistency';
import { privateRedisAvailability, report } from './support/fault-report';
import { privateRedisAndDataDir } from './support/private-redis-and-dir';
import {
  identityGraphProblems,
  profileViewsMatchRebuild,
  touchpointEvents,
  type ManualRequest,
} from './support/identity-consistency';
import { faultSeed, SeededRandom } from './support/seeded-random';
import { randomTouchpoint } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 10);
const CUSTOMERS = 10;
const ANONYMOUS_IDS = 24;
const EMAILS = 12;
jest.setTimeout(10 * 60_000);

type Message = Record<string, unknown> & { touchpointId: string; source: string };
type Kind = 'merge' | 'undo' | 'link';

/**
 * A touchpoint that links identifiers: anonymous visitors (a derived profile), customers
 * showing an anonymous id or an email (a link, a merge by rule, or a refusal when two named
 * customers meet), and plain ones.
 */
function linkingTouchpoint(random: SeededRandom, sequence: number): Message {
  const { customerId, ...rest } = randomTouchpoint(random, 'm', sequence, CUSTOMERS);
  const anonymous = { type: 'anonymousId', value: `anon-${random.int(1, ANONYMOUS_IDS)}` };
  const email = { type: 'email', value: ` Person${random.int(1, EMAILS)}@Example.com` };
  switch (random.int(0, 4)) {
    case 0:
    case 1:
      return { ...rest, identifiers: [anonymous] };
    case 2:
      return { ...rest, customerId, identifiers: [anonymous] };
    case 3:
      return { ...rest, customerId, identifiers: [email, anonymous] };
    default:
      return { ...rest, customerId };
  }
}

/**
 * SIGKILL while admins merge and undo profiles by hand and touchpoints link identifiers, all
 * at once; restart; resend whatever got no answer. Every touchpoint is there once, every
 * identifier stream holds one link, every merge and undo is recorded whole or not at all (and
 * every one answered 200 is), and the customer view of every profile equals a fresh fold of
 * the events grouped by the graph's partition.
 */
describeIfAvailable(
  'crash: identity merges, undos and linking ingest killed mid-operation',
  privateRedisAvailability(redisServerInstalled()),
  () => {
    const resources = privateRedisAndDataDir('rapport-fault-identity-');

    it(`keeps the graph whole and the views equal to a rebuild across ${KILLS} SIGKILLs`, async () => {
      const { redis, dir } = resources;
      const seed = faultSeed(8_030);
      const random = new SeededRandom(seed);
      const env = { DATA_DIR: dir, REDIS_URL: redis.url };
      const dbPath = join(dir, 'events.db');
      const accepted = new Set<string>();
      const profiles = new Set<string>();
      const merges: ManualRequest[] = [];
      const undos: ManualRequest[] = [];
      let unsentTouchpoints: Message[] = [];
      let unansweredMerges: ManualRequest[] = [];
      let unansweredUndos: ManualRequest[] = [];
      const killsWith: Record<Kind, number> = { merge: 0, undo: 0, link: 0 };
      const lostAnswers: Record<Kind, number> = { merge: 0, undo: 0, link: 0 };
      /** Merges and undos whose answer was lost yet whose events were already stored. */
      let recordedBeforeKill = 0;
      let sequence = 0;
      let checkedProfiles = 0;
      let retryable503 = 0;
      const failures: string[] = [];

      const postJson = (
        child: ChildPlatform,
        url: string,
        role: 'ingest' | 'admin',
        body: unknown,
      ) =>
        fetch(url, {
          method: 'POST',
          headers: { ...child.auth(role), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });

      const sendTouchpoints = async (child: ChildPlatform, url: string, batch: Message[]) => {
        const response = await postJson(child, `${url}/v1/touchpoints`, 'ingest', batch);
        const body = (await response.json()) as { items?: Array<{ customerId?: string }> };
        // The graph stream kept moving under the merges (IDENTITY_RETRIES_EXHAUSTED): a
        // retryable answer, so the client sends the batch again after the restart.
        if (response.status === 503) {
          retryable503 += 1;
          unsentTouchpoints.push(...batch);
          return;
        }
        if (response.status !== 202) {
          failures.push(`touchpoints: HTTP ${response.status} ${JSON.stringify(body)}`);
          return;
        }
        for (const t of batch) accepted.add(touchpointKey(t));
        for (const item of body.items ?? []) if (item.customerId) profiles.add(item.customerId);
      };

      const sendMerge = async (child: ChildPlatform, url: string, merge: ManualRequest) => {
        const response = await postJson(child, `${url}/v1/identities/merges`, 'admin', {
          profiles: merge.profiles,
          reason: merge.reason,
        });
        const body = (await response.json()) as { mergeId?: string; code?: string };
        if (response.status === 200) merge.answeredMergeId = body.mergeId;
        // 409: already one group, or a limit (refusal recorded); 503: the graph kept moving.
        else if (response.status !== 409 && response.status !== 503)
          failures.push(`${merge.reason}: HTTP ${response.status} ${JSON.stringify(body)}`);
      };

      const sendUndo = async (child: ChildPlatform, url: string, undo: ManualRequest) => {
        const target = undo.profiles![0];
        const response = await postJson(
          child,
          `${url}/v1/identities/merges/${target}/undo`,
          'admin',
          { reason: undo.reason },
        );
        const body = (await response.json()) as { code?: string };
        if (response.status === 200) undo.answeredMergeId = target;
        else if (response.status !== 409 && response.status !== 503)
          failures.push(`${undo.reason}: HTTP ${response.status} ${JSON.stringify(body)}`);
      };

      for (let round = 0; round <= KILLS; round++) {
        const child = spawnPlatform(env);
        try {
          const url = await child.ready;
          let events = await readAllEvents(dbPath);
          const stored = (reason: string) =>
            events.some(
              (e) =>
                e.streamName === 'identity-graph' &&
                (e.data.reason === reason ||
                  (e.data.evidence as { reason?: string } | undefined)?.reason === reason),
            );
          recordedBeforeKill += [...unansweredMerges, ...unansweredUndos].filter((r) =>
            stored(r.reason),
          ).length;

          // Right after the restart: every 202 there once, a lost answer at most once.
          const before = exactlyOnce(
            touchpointEvents(events),
            accepted,
            new Set(unsentTouchpoints.map(touchpointKey)),
          );
          expect({ round, ...before, events: 0 }).toEqual({
            round,
            events: 0,
            missing: [],
            doubled: [],
            unexpected: [],
          });
          expect({ round, graph: identityGraphProblems(events, merges, undos) }).toEqual({
            round,
            graph: [],
          });

          // A client without an answer asks again, as any at-least-once client does.
          const resend = { touchpoints: unsentTouchpoints, merges: unansweredMerges };
          const resendUndos = unansweredUndos;
          unsentTouchpoints = [];
          unansweredMerges = [];
          unansweredUndos = [];
          if (resend.touchpoints.length) await sendTouchpoints(child, url, resend.touchpoints);
          for (const merge of resend.merges) await sendMerge(child, url, merge);
          for (const undo of resendUndos) await sendUndo(child, url, undo);
          expect({ round, failures }).toEqual({ round, failures: [] });

          events = await readAllEvents(dbPath);
          const stillUnsent = new Set(unsentTouchpoints.map(touchpointKey));
          expect({
            round,
            ...exactlyOnce(touchpointEvents(events), accepted, stillUnsent),
            events: 0,
          }).toEqual({ round, events: 0, missing: [], doubled: [], unexpected: [] });
          expect({ round, graph: identityGraphProblems(events, merges, undos) }).toEqual({
            round,
            graph: [],
          });
          const views = await profileViewsMatchRebuild(redis.url, events);
          expect({ round, problems: views.problems.slice(0, 10) }).toEqual({ round, problems: [] });
          checkedProfiles += views.profiles;
          if (round === KILLS) break;

          // Linking ingest, merges and undos back to back; the process dies at a seeded moment.
          let killed = false;
          const inFlight: Record<Kind, number> = { merge: 0, undo: 0, link: 0 };
          const attempt = async (kind: Kind, send: () => Promise<void>, lost: () => void) => {
            inFlight[kind]++;
            try {
              await send();
            } catch {
              lost();
              lostAnswers[kind]++;
            } finally {
              inFlight[kind]--;
            }
          };
          const ingest = async () => {
            while (!killed) {
              const batch = Array.from({ length: random.int(1, 8) }, () =>
                linkingTouchpoint(random, ++sequence),
              );
              await attempt(
                'link',
                () => sendTouchpoints(child, url, batch),
                () => unsentTouchpoints.push(...batch),
              );
            }
          };
          const merger = async () => {
            while (!killed) {
              const known = [...profiles];
              if (known.length < 3) {
                await sleep(5);
                continue;
              }
              // Two named customers would break the one-customerId limit (a 409 and a refusal,
              // also worth a kill): mostly join anonymous profiles, so that undos have work.
              const anonymous = known.filter((p) => p.startsWith('profile.'));
              const pickOne = () =>
                anonymous.length && random.int(0, 3) > 0
                  ? random.pick(anonymous)
                  : random.pick(known);
              const count = random.int(0, 3) === 0 ? 3 : 2;
              const chosen = new Set(Array.from({ length: count }, pickOne));
              if (chosen.size < 2) continue;
              const merge: ManualRequest = {
                reason: `fault merge ${merges.length + 1}`,
                profiles: [...chosen],
              };
              merges.push(merge);
              await attempt(
                'merge',
                () => sendMerge(child, url, merge),
                () => unansweredMerges.push(merge),
              );
            }
          };
          const undoer = async () => {
            while (!killed) {
              const done = new Set(undos.map((u) => u.profiles![0]));
              const open = merges.filter((m) => m.answeredMergeId && !done.has(m.answeredMergeId));
              if (open.length === 0) {
                await sleep(5);
                continue;
              }
              const undo: ManualRequest = {
                reason: `fault undo ${undos.length + 1}`,
                profiles: [random.pick(open).answeredMergeId!],
              };
              undos.push(undo);
              await attempt(
                'undo',
                () => sendUndo(child, url, undo),
                () => unansweredUndos.push(undo),
              );
            }
          };
          const running = [ingest(), ingest(), merger(), merger(), merger(), undoer(), undoer()];
          await sleep(random.int(150, 900));
          // No new request from here: what fails now was in flight when the process died.
          killed = true;
          const atKill = { ...inFlight };
          await child.kill();
          await Promise.all(running);
          for (const kind of Object.keys(atKill) as Kind[]) if (atKill[kind] > 0) killsWith[kind]++;
        } finally {
          await child.kill();
        }
      }

      report('crash identity merge', {
        seed,
        kills: KILLS,
        killsWithMergeInFlight: killsWith.merge,
        killsWithUndoInFlight: killsWith.undo,
        killsWithLinkingIngestInFlight: killsWith.link,
        mergesAsked: merges.length,
        mergesAnswered200: merges.filter((m) => m.answeredMergeId).length,
        undosAsked: undos.length,
        undosAnswered200: undos.filter((u) => u.answeredMergeId).length,
        lostAnswers: `merge:${lostAnswers.merge},undo:${lostAnswers.undo},link:${lostAnswers.link}`,
        lostAnswersAlreadyRecorded: recordedBeforeKill,
        touchpointBatchesAnswered503: retryable503,
        touchpointsAccepted: accepted.size,
        profilesComparedWithRebuild: checkedProfiles,
      });
    });
  },
);

import { seedIdentityStore } from './kafka-ingest.identities';
const writer = process.argv[2] as 'inline' | 'thread';
const t = Date.now();
void seedIdentityStore(`/tmp/i30b-seed-${writer}.db`, writer, 10_000, { identifiers: 2, newLinkShare: 0.1 }, 80_000, (l) => { if (l % 20000 === 0) console.log(l, (Date.now() - t) / 1000); }).then((n) => console.log('done', n, (Date.now() - t) / 1000));

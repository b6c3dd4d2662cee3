/**
 * Layer rules: pure libs (domain, projections, analytics, demo-data) depend on nothing but each other
 * and a few pure packages; libs never import apps; apps never import each other's internals
 * except the platform, which composes them.
 */
const PURE = '^libs/(domain|projections|analytics|demo-data|signals|identity)/';
/**
 * Second entry points that load a small part of a lib (CONTRIBUTING.md, "Light entry points"):
 * each re-exports part of the lib's index, for code that needs nothing else from it.
 */
const LIGHT_ENTRY_POINTS = ['^libs/http/src/problems\\.ts$'];
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-libs-stay-pure',
      comment: 'libs/domain, libs/projections and libs/analytics do no I/O and know no framework',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.(spec|int-spec)\\.ts$|/testing/' },
      to: {
        // node:crypto for hashing event ids: computation, not I/O.
        pathNot: [PURE, '(^|/)node_modules/(uuid)/', '^(node:)?crypto$'],
      },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'production-code-does-not-import-tests',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$|/testing/' },
      to: { path: '^test/|/testing/' },
    },
    {
      name: 'apps-do-not-import-other-apps',
      comment:
        'an app composes another only through its public src/index.ts (the platform composes them all)',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'query-folders-stay-apart',
      comment:
        "one folder per query: another query's folder is entered only by its message (.query.ts, to dispatch it on the QueryBus); what several share lives in shared/",
      severity: 'error',
      from: { path: '^apps/query-api/src/([^/]+)/' },
      to: {
        path: '^apps/query-api/src/[^/]+/',
        pathNot: ['^apps/query-api/src/$1/', '^apps/query-api/src/shared/', '\\.query\\.ts$'],
      },
    },
    {
      name: 'libs-are-entered-by-their-index',
      comment:
        'another lib enters a lib through @rapport/<lib> (src/index.ts), @rapport/<lib>/testing or a listed light entry point only',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: {
        path: '^libs/[^/]+/src/',
        pathNot: [
          '^libs/$1/',
          '^libs/[^/]+/src/index\\.ts$',
          '^libs/[^/]+/src/testing/index\\.ts$',
          ...LIGHT_ENTRY_POINTS,
        ],
      },
    },
    {
      name: 'apps-and-tests-enter-libs-by-their-index',
      comment:
        'apps and tests import @rapport/<lib>, @rapport/<lib>/testing or a listed light entry point, never a lib file',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: {
        path: '^libs/[^/]+/src/',
        pathNot: [
          '^libs/[^/]+/src/index\\.ts$',
          '^libs/[^/]+/src/testing/index\\.ts$',
          ...LIGHT_ENTRY_POINTS,
        ],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^dist/|^node_modules/)' },
  },
};

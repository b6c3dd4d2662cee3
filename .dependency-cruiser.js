/**
 * Layer rules: pure libs (domain, projections, analytics, demo-data) depend on nothing but each other
 * and a few pure packages; libs never import apps; apps never import each other's internals
 * except the platform, which composes them.
 */
const PURE = '^libs/(domain|projections|analytics|demo-data|signals)/';
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
        pathNot: [PURE, '^node_modules/(uuid)/', '^(node:)?crypto$'],
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

/**
 * The layer rules of src/ (see README "Layout"), checked by `npm run lint`. Type-only imports count:
 * a layer that names another's types depends on it as much as one that calls it.
 */
const forbidden = [
  {
    name: 'no-cycles',
    severity: 'error',
    comment: 'No import cycles anywhere in src/: each module can be read, tested and replaced alone.',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'domain-stays-pure',
    severity: 'error',
    comment:
      'The domain (records, rules, use cases, store ports) knows no transport, driver or adapter: ' +
      'nothing from graphql, a database or Redis driver, store/*, server, dispatch, live or the runtime.',
    from: { path: '^src/domain/' },
    to: {
      path: [
        '^src/(graphql|store|server|dispatch|live|ops|console)/',
        '^src/(runtime|main)\\.ts$',
        '(^|/)node_modules/(graphql|graphql-yoga|graphql-ws|@pothos|mongodb|better-sqlite3|ioredis|@graphql-yoga|undici|ws)/',
      ],
    },
  },
  {
    name: 'graphql-not-server',
    severity: 'error',
    comment: 'The schema is served by server/, never the other way round.',
    from: { path: '^src/graphql/' },
    to: { path: ['^src/server/', '^src/main\\.ts$'] },
  },
  {
    name: 'graphql-not-adapters',
    severity: 'error',
    comment: 'Resolvers reach storage through the domain ports, never an adapter.',
    from: { path: '^src/graphql/' },
    to: { path: '^src/store/(sqlite|mongo)/' },
  },
  {
    name: 'sqlite-not-mongo',
    severity: 'error',
    comment: 'The two store adapters are independent implementations of the same ports.',
    from: { path: '^src/store/sqlite/' },
    to: { path: '^src/store/mongo/' },
  },
  {
    name: 'mongo-not-sqlite',
    severity: 'error',
    comment: 'The two store adapters are independent implementations of the same ports.',
    from: { path: '^src/store/mongo/' },
    to: { path: '^src/store/sqlite/' },
  },
  {
    name: 'store-not-upper-layers',
    severity: 'error',
    comment: 'Adapters implement the ports; they know nothing of transports or the dispatcher.',
    from: { path: '^src/store/' },
    to: { path: ['^src/(graphql|server|dispatch|live|console)/', '^src/(runtime|main)\\.ts$'] },
  },
  {
    name: 'dispatch-not-transports',
    severity: 'error',
    comment: 'The delivery engine is driven by the runtime, not by HTTP or GraphQL.',
    from: { path: '^src/dispatch/' },
    to: {
      path: ['^src/(graphql|server|console)/', '^src/store/(sqlite|mongo)/', '^src/(runtime|main)\\.ts$'],
    },
  },
  {
    name: 'only-main-and-runtime-compose',
    severity: 'error',
    comment: 'runtime.ts is the one composition root; only main.ts (and tests, scripts) use it.',
    from: { path: '^src/', pathNot: '^src/(main|runtime)\\.ts$|^src/(graphql|server)/' },
    to: { path: '^src/runtime\\.ts$' },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', 'node_modules'],
    // The browser console is JSX, which the swc parser dependency-cruiser drives does not read; it is
    // kept a pure client by its own tsconfig instead (rootDir: it cannot import a file outside it).
    exclude: { path: '^src/console/app/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    parser: 'swc',
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
  },
};

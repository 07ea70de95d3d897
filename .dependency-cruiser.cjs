/**
 * The repository's structural rules, run by `npm run lint` (dependency-cruiser; `import type` counts, since a
 * type-only cycle or boundary crossing is a design fault all the same):
 *  - no import cycles, in any package;
 *  - no package reaches into another's files: only declared dependencies, by package name;
 *  - msfctl's layers import in one direction: cli → controller → engine → model; adapters implement ports.
 * There is no baseline of known violations: msf-local's old cycles (issue 12) are gone, and any new one fails.
 */
const MSFCTL = '^packages/msfctl/src/';
const layer = (name) => `${MSFCTL}${name}/`;
/** `from` may import only the layers in `allowed` (inside msfctl; packages by name are not restricted here). */
const onlyInto = (from, allowed, comment) => ({
  name: `layer-${from}`,
  comment,
  severity: 'error',
  from: { path: layer(from) },
  to: { path: MSFCTL, pathNot: allowed.map((a) => (a === 'index' ? `${MSFCTL}index\\.ts$` : layer(a))) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle (type-only ones included): split the shared concept out into a lower layer.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { circular: true },
    },
    {
      name: 'no-reach-into-other-packages',
      comment:
        'A package imports another only by its name, as a declared dependency (package.json), never by path.',
      severity: 'error',
      from: { path: '^packages/([^/]+)/src/' },
      to: { path: '^packages/', pathNot: ['^packages/$1/'], dependencyTypes: ['local'] },
    },
    {
      name: 'no-msfctl-from-below',
      comment: 'msf-local and msf-flink-runtime know nothing of msfctl.',
      severity: 'error',
      from: { path: '^packages/(msf-local|flink-runtime)/' },
      to: { path: '(^|/)packages/msfctl/|node_modules/msfctl/' },
    },
    {
      name: 'no-msf-local-from-runtime',
      comment: 'msf-flink-runtime is the shared bottom: it imports neither msf-local nor msfctl.',
      severity: 'error',
      from: { path: '^packages/flink-runtime/' },
      to: { path: '(^|/)packages/msf-local/|node_modules/msf-local/' },
    },
    {
      name: 'msfctl-msf-local-only-in-local-target',
      comment:
        'msfctl learns about msf-local only in its local target adapter (adapters/targets/local), never elsewhere.',
      severity: 'error',
      from: { path: MSFCTL, pathNot: `${MSFCTL}adapters/targets/local/` },
      to: { path: '(^|/)packages/msf-local/|node_modules/msf-local/' },
    },
    onlyInto(
      'model',
      ['model'],
      'model/ is plain data and pure helpers: it imports nothing of msfctl but itself.',
    ),
    onlyInto('spec', ['spec', 'model'], 'spec/ (the spec file and its validation) builds on model/ only.'),
    onlyInto(
      'engine',
      ['engine', 'model', 'spec'],
      'engine/ is pure decisions over model/: no ports, no I/O.',
    ),
    onlyInto(
      'ports',
      ['ports', 'model', 'spec'],
      'ports/ declare what the controller needs; they use model types only.',
    ),
    onlyInto(
      'controller',
      ['controller', 'engine', 'ports', 'model', 'spec'],
      'controller/ runs engine decisions through ports: it never imports an adapter or the CLI.',
    ),
    onlyInto(
      'adapters',
      ['adapters', 'ports', 'model', 'spec'],
      'adapters/ implement ports over AWS, files, processes: they never import the controller, engine or CLI.',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|target|dist)/' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
    combinedDependencies: false,
  },
};

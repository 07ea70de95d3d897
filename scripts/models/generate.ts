/**
 * Transcribes AWS service models (botocore's service-2.json) into msf-local's input-shape DSL
 * (packages/msf-local/src/api/shape.ts), so every request is validated against the model the way the AWS front end
 * validates it. One generated file per service, listed with its operations in scripts/models/services.json.
 *
 *   npx tsx scripts/models/generate.ts [--botocore-data DIR] [--check] [SERVICE...]
 *
 * botocore comes from a Python environment outside the repository, at the version scripts/models/requirements.txt
 * pins (`python3 -m venv ~/.venvs/botocore-models && ~/.venvs/botocore-models/bin/pip install -r
 * scripts/models/requirements.txt`, as .ci/run does); the script asks `$BOTOCORE_PYTHON` (default that venv's python,
 * else `python3`) where it is, or takes `--botocore-data`. Another version is refused: change the pin to move on.
 * The version is written into each file's header. `--check` regenerates in memory and fails when a committed file
 * differs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import prettier from 'prettier';

interface ServiceEntry {
  /** botocore's service directory name (data/<botocore>/<api-version>/service-2.json). */
  botocore: string;
  /** Output file, relative to the repository root. */
  out: string;
  /** Operations whose input shapes are transcribed; "*" for every operation of the model. */
  operations: string[] | '*';
}

interface ModelShape {
  type: string;
  members?: Record<string, { shape: string; locationName?: string }>;
  required?: string[];
  member?: { shape: string; locationName?: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  flattened?: boolean;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  fault?: boolean;
}

interface Model {
  metadata: Record<string, unknown> & { protocol: string; apiVersion: string };
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, ModelShape>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const DSL_NAMES = new Set([
  'any',
  'blob',
  'bool',
  'double',
  'enumOf',
  'int',
  'list',
  'map',
  'str',
  'struct',
  'timestamp',
]);
/** Identifiers a shape constant must not shadow. */
const RESERVED = new Set([
  ...DSL_NAMES,
  'Shape',
  'INPUTS',
  'ERRORS',
  'MODEL_OPERATIONS',
  'SERVICE',
  'Array',
  'Boolean',
  'Date',
  'Error',
  'Function',
  'JSON',
  'Map',
  'Math',
  'Number',
  'Object',
  'Promise',
  'Set',
  'String',
  'Symbol',
]);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const dataFlag = args.indexOf('--botocore-data');
  const wanted = args.filter((a, i) => !a.startsWith('--') && i !== dataFlag + 1);
  const botocore = dataFlag >= 0 ? fromDataDir(args[dataFlag + 1]) : locateBotocore();
  const pinned = /botocore==(\S+)/.exec(
    readFileSync(path.join(import.meta.dirname, 'requirements.txt'), 'utf8'),
  )?.[1];
  if (botocore.version !== pinned) {
    throw new Error(
      `botocore ${botocore.version} is installed, scripts/models/requirements.txt pins ${pinned}: install the pinned ` +
        `version, or change the pin to regenerate the models from another one`,
    );
  }
  const services = JSON.parse(
    readFileSync(path.join(import.meta.dirname, 'services.json'), 'utf8'),
  ) as Record<string, ServiceEntry>;
  const names = wanted.length > 0 ? wanted : Object.keys(services);
  let stale = 0;
  for (const name of names) {
    const entry = services[name];
    if (!entry) throw new Error(`no service ${name} in scripts/models/services.json`);
    const text = await generate(name, entry, botocore);
    const out = path.join(ROOT, entry.out);
    if (check) {
      const current = existsSync(out) ? readFileSync(out, 'utf8') : '';
      if (current !== text) {
        stale++;
        process.stderr.write(`${entry.out} differs from what botocore ${botocore.version} generates\n`);
      }
    } else {
      writeFileSync(out, text);
      process.stdout.write(`${entry.out}: botocore ${botocore.version}\n`);
    }
  }
  if (stale > 0) process.exit(1);
}

interface Botocore {
  version: string;
  dataDir: string;
}

function locateBotocore(): Botocore {
  const venv = path.join(homedir(), '.venvs', 'botocore-models', 'bin', 'python');
  const python = process.env.BOTOCORE_PYTHON ?? (existsSync(venv) ? venv : 'python3');
  const script =
    'import botocore, os; print(botocore.__version__); print(os.path.dirname(botocore.__file__))';
  let output: string;
  try {
    output = execFileSync(python, ['-c', script], { encoding: 'utf8' });
  } catch {
    throw new Error(
      `cannot import botocore with ${python}: install it in a venv outside the repository (python3 -m venv ` +
        `~/.venvs/botocore-models && ~/.venvs/botocore-models/bin/pip install -r scripts/models/requirements.txt)`,
    );
  }
  const [version, dir] = output.trim().split('\n');
  return { version: version!, dataDir: path.join(dir!, 'data') };
}

function fromDataDir(dataDir: string | undefined): Botocore {
  if (!dataDir) throw new Error('--botocore-data needs a directory');
  const init = readFileSync(path.join(dataDir, '..', '__init__.py'), 'utf8');
  const version = /__version__ = '([^']+)'/.exec(init)?.[1];
  if (!version) throw new Error(`cannot read the botocore version next to ${dataDir}`);
  return { version, dataDir };
}

function loadModel(botocore: Botocore, service: string): { model: Model; file: string } {
  const dir = path.join(botocore.dataDir, service);
  const version = readdirSync(dir)
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
    .sort()
    .at(-1);
  if (!version) throw new Error(`no API version of ${service} in ${dir}`);
  const plain = path.join(dir, version, 'service-2.json');
  const file = existsSync(plain) ? plain : `${plain}.gz`;
  const bytes = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return { model: JSON.parse(text) as Model, file: path.relative(botocore.dataDir, file) };
}

async function generate(name: string, entry: ServiceEntry, botocore: Botocore): Promise<string> {
  const { model, file } = loadModel(botocore, entry.botocore);
  const allOperations = Object.keys(model.operations).sort();
  const operations = entry.operations === '*' ? allOperations : [...entry.operations].sort();
  for (const op of operations) {
    if (!model.operations[op]) throw new Error(`${name}: the model has no operation ${op}`);
  }
  const emitter = new Emitter(model, name);
  const inputs = operations.map((op) => {
    const input = model.operations[op]!.input?.shape;
    return `  ${op}: ${input ? emitter.ref(input) : 'struct({})'},`;
  });
  const errors = Object.entries(model.shapes)
    .filter(([, shape]) => shape.exception)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([shapeName, shape]) => {
      const code = shape.error?.code ?? shapeName;
      const status = shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
      const sender = shape.error?.senderFault ?? !shape.fault;
      return `  ${shapeName}: { code: ${q(code)}, status: ${status}, senderFault: ${sender} },`;
    });
  const meta = model.metadata;
  const service = {
    protocol: meta.protocol,
    apiVersion: meta.apiVersion,
    ...(meta.targetPrefix ? { targetPrefix: meta.targetPrefix } : {}),
    ...(meta.jsonVersion ? { jsonVersion: meta.jsonVersion } : {}),
    ...(meta.xmlNamespace ? { xmlNamespace: meta.xmlNamespace } : {}),
    signingName: (meta.signingName as string | undefined) ?? (meta.endpointPrefix as string),
  };
  const dsl = [...emitter.used].sort();
  // The shape DSL, relative to where this model is written (most live next to it in src/api/<service>/).
  const shapeModule = path
    .relative(
      path.dirname(path.join(ROOT, entry.out)),
      path.join(ROOT, 'packages/msf-local/src/api/shape.js'),
    )
    .split(path.sep)
    .join('/');
  const source = [
    '/**',
    ` * GENERATED by scripts/models/generate.ts from botocore ${botocore.version}, ${file}. Do not edit: change`,
    ' * scripts/models/services.json and run `npx tsx scripts/models/generate.ts` (see its header).',
    ` * Input shapes of the ${operations.length} operations msf-local serves, with the model's constraints; the names of all`,
    ` * ${allOperations.length} operations of the model; its error shapes with their codes and HTTP statuses.`,
    ...emitter.notes.map((note) => ` * ${note}`),
    ' */',
    dsl.length > 0 ? `import { ${dsl.join(', ')} } from '${shapeModule}';` : '',
    `import type { Shape } from '${shapeModule}';`,
    '',
    `export const SERVICE = ${JSON.stringify(service)} as const;`,
    '',
    ...emitter.lines,
    '',
    'export const INPUTS: Record<string, Shape> = {',
    ...inputs,
    '};',
    '',
    `export const MODEL_OPERATIONS: ReadonlySet<string> = new Set(${JSON.stringify(allOperations)});`,
    '',
    'export const ERRORS: Record<string, { code: string; status: number; senderFault: boolean }> = {',
    ...errors,
    '};',
    '',
  ].join('\n');
  const options = (await prettier.resolveConfig(path.join(ROOT, entry.out))) ?? {};
  return prettier.format(source, { ...options, parser: 'typescript' });
}

/** Emits one constant per named shape, dependencies first; recursive references become `any`. */
class Emitter {
  readonly lines: string[] = [];
  readonly notes: string[] = [];
  readonly used = new Set<string>();
  private readonly emitted = new Map<string, string>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly model: Model,
    private readonly service: string,
  ) {}

  /** The expression that names `shapeName` (emitting it first if needed). */
  ref(shapeName: string): string {
    const done = this.emitted.get(shapeName);
    if (done) return done;
    if (this.inProgress.has(shapeName)) {
      this.used.add('any');
      this.notes.push(`${shapeName} is recursive: its nested occurrences are accepted as is (any).`);
      return 'any';
    }
    this.inProgress.add(shapeName);
    const expression = this.expression(shapeName);
    this.inProgress.delete(shapeName);
    const ident = identifier(shapeName);
    this.lines.push(`const ${ident}: Shape = ${expression};`);
    this.emitted.set(shapeName, ident);
    return ident;
  }

  private expression(shapeName: string): string {
    const shape = this.model.shapes[shapeName];
    if (!shape) throw new Error(`${this.service}: unknown shape ${shapeName}`);
    const use = (fn: string) => {
      this.used.add(fn);
      return fn;
    };
    const bounds = (extra: Record<string, string> = {}) => {
      const parts = Object.entries({
        ...(shape.min !== undefined ? { min: String(shape.min) } : {}),
        ...(shape.max !== undefined ? { max: String(shape.max) } : {}),
        ...extra,
      }).map(([k, v]) => `${k}: ${v}`);
      return parts.length > 0 ? `{ ${parts.join(', ')} }` : '';
    };
    switch (shape.type) {
      case 'string': {
        if (shape.enum) return `${use('enumOf')}(${shape.enum.map(q).join(', ')})`;
        const pattern = shape.pattern !== undefined ? this.pattern(shapeName, shape.pattern) : undefined;
        return `${use('str')}(${bounds(pattern !== undefined ? { pattern: q(pattern) } : {})})`;
      }
      case 'integer':
      case 'long':
        return `${use('int')}(${bounds()})`;
      case 'double':
      case 'float':
        return `${use('double')}(${bounds()})`;
      case 'boolean':
        return use('bool');
      case 'timestamp':
        return use('timestamp');
      case 'blob':
        return `${use('blob')}(${bounds()})`;
      case 'list': {
        if (shape.flattened || shape.member?.locationName) {
          throw new Error(
            `${this.service}: ${shapeName} is a flattened or renamed list; the query codec reads .member.N`,
          );
        }
        const member = this.ref(shape.member!.shape);
        const b = bounds();
        return `${use('list')}(${member}${b ? `, ${b}` : ''})`;
      }
      case 'map': {
        const key = this.ref(shape.key!.shape);
        const value = this.ref(shape.value!.shape);
        const b = bounds();
        return `${use('map')}(${key}, ${value}${b ? `, ${b}` : ''})`;
      }
      case 'structure': {
        const members = Object.entries(shape.members ?? {}).map(([member, target]) => {
          if (target.locationName) {
            throw new Error(
              `${this.service}: ${shapeName}.${member} is renamed on the wire (${target.locationName})`,
            );
          }
          return `${propertyName(member)}: ${this.ref(target.shape)}`;
        });
        const required = shape.required?.length ? `, [${shape.required.map(q).join(', ')}]` : '';
        return `${use('struct')}({ ${members.join(', ')} }${required})`;
      }
      default:
        throw new Error(
          `${this.service}: shape ${shapeName} has type ${shape.type}, which shape.ts does not model`,
        );
    }
  }

  /** The model's (Java) pattern, when JavaScript compiles it the way shape.ts does; else left out, with a note. */
  private pattern(shapeName: string, pattern: string): string | undefined {
    try {
      new RegExp(`^(?:${pattern})$`, 'su');
      return pattern;
    } catch {
      this.notes.push(
        `${shapeName}: pattern ${JSON.stringify(pattern)} is not a JavaScript regular expression; not checked.`,
      );
      return undefined;
    }
  }
}

function identifier(shapeName: string): string {
  const base = shapeName.replace(/[^A-Za-z0-9_$]/g, '_');
  const safe = /^[0-9]/.test(base) ? `_${base}` : base;
  return RESERVED.has(safe) ? `${safe}Shape` : safe;
}

function propertyName(member: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(member) ? member : q(member);
}

function q(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

await main().catch((error: unknown) => {
  process.stderr.write(
    `scripts/models/generate.ts: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

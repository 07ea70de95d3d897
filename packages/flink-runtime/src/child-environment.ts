/**
 * The environment a child process gets, built explicitly. Node's spawn copies every enumerable key of `env`
 * *including inherited ones* (`for…in`), and with no `env` it uses process.env the same way: a key written onto
 * Object.prototype by any input (prototype pollution) would become an environment variable of every JVM started
 * after it (`JAVA_TOOL_OPTIONS` = code execution). A null-prototype object of own entries has nothing inherited.
 */
export function childEnvironment(
  ...sources: (Readonly<Record<string, string | undefined>> | undefined)[]
): NodeJS.ProcessEnv {
  const env = Object.create(null) as NodeJS.ProcessEnv;
  for (const source of sources) {
    if (!source) continue;
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (typeof value === 'string') env[key] = value;
    }
  }
  return env;
}

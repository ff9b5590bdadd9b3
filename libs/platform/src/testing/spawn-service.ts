import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@paylend/testing';
import { freePort } from './service-harness';

export interface SpawnedService {
  process: ChildProcess;
  url: string;
  instanceId: string;
  /** Every line the service wrote to stdout and stderr so far. */
  lines: string[];
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  terminate(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs `apps/<service>/src/main.ts` as its own process, exactly as the demo does, and resolves when it logs
 * "ready" (or rejects with its output if it exits first or takes longer than `timeoutMs`).
 */
export async function spawnService(
  service: string,
  env: Record<string, string>,
  timeoutMs = 45_000,
): Promise<SpawnedService> {
  const port = await freePort();
  const instanceId = `${service}-${port}`;
  const child = spawn(
    process.execPath,
    [
      // Extra node flags for the spawned service only, e.g. PAYLEND_SERVICE_NODE_ARGS="--cpu-prof" to profile it.
      ...(process.env['PAYLEND_SERVICE_NODE_ARGS']?.split(' ').filter(Boolean) ?? []),
      '-r',
      '@swc-node/register',
      join(WORKSPACE_ROOT, 'apps', service, 'src', 'main.ts'),
    ],
    {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'),
        [`${service.toUpperCase()}_HTTP_PORT`]: String(port),
        INSTANCE_ID: instanceId,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<number | string>((resolve) =>
    // 'close', not 'exit': the last lines of output may still be in the pipe when the process exits.
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const onData = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${service} not ready in ${timeoutMs} ms:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    const check = () => {
      if (lines.some((l) => l.includes('"msg":"ready"'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${service} exited (${code}) before it was ready:\n${lines.join('\n')}`));
    });
  });
  const terminate = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  try {
    await ready;
  } catch (err) {
    await terminate('SIGKILL');
    throw err;
  }
  return { process: child, url: `http://127.0.0.1:${port}`, instanceId, lines, exited, terminate };
}

/** Runs a service expecting it to refuse to start; resolves with its exit code and output. */
export async function spawnServiceExpectingFailure(
  service: string,
  env: Record<string, string>,
): Promise<{ code: number | string; output: string }> {
  return spawnService(service, env, 60_000).then(
    async (svc) => {
      await svc.terminate('SIGKILL');
      throw new Error(`${service} started although it was expected to fail`);
    },
    async (err: Error) => {
      const match = /exited \(([^)]+)\)/.exec(err.message);
      return {
        code: match ? (Number.isNaN(Number(match[1])) ? match[1]! : Number(match[1])) : 'timeout',
        output: err.message,
      };
    },
  );
}

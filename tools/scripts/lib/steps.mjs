// Shared plumbing for the two README commands: numbered progress lines, child processes that die with us,
// dependency installation, and a lock so two runs never share the broker and databases at once.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const children = new Set();

export function banner(title) {
  process.stdout.write(`\n\x1b[1m${title}\x1b[0m\n`);
}

export function stepper(total) {
  let n = 0;
  const started = Date.now();
  return (label) => {
    n += 1;
    const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
    process.stdout.write(`\x1b[36m[${String(n).padStart(2)}/${total}] ${t}s\x1b[0m ${label}\n`);
  };
}

/** Runs a command with inherited output; rejects with the command line and exit code on failure. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT,
      stdio: opts.stdio ?? 'inherit',
      env: { ...process.env, ...opts.env },
    });
    children.add(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code === 0 || opts.allowFailure) resolve(code ?? 1);
      else reject(new Error(`\`${[cmd, ...args].join(' ')}\` failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** A long-lived child (a service); its output is prefixed and kept. */
export function startChild(name, cmd, args, env, onLine) {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines = [];
  let buffer = '';
  const take = (chunk) => {
    buffer += chunk.toString();
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(line);
      onLine?.(name, line);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  // 'close', not 'exit': the last lines of output may still be in the pipe when the process exits.
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal);
    }),
  );
  return { name, child, lines, exited };
}

export function killAllChildren(signal = 'SIGTERM') {
  for (const c of children) if (c.exitCode === null) c.kill(signal);
}

/** Installs dependencies when node_modules is missing or older than package-lock.json. */
export async function ensureDependencies(step) {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    step('dependencies: already installed');
    return;
  }
  step('dependencies: npm ci (first run takes a minute or two)');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
}

/**
 * One run at a time per checkout: a second `npm run demo` (or a test run during a demo) would fight over
 * ports, consumer groups and databases. A lock left by a dead process is taken over.
 */
export function acquireLock(name) {
  const dir = join(ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'run.lock');
  if (existsSync(file)) {
    const [pid, holder] = readFileSync(file, 'utf8').trim().split(' ');
    if (pid && isAlive(Number(pid))) {
      process.stderr.write(
        `another PayLend run is in progress (${holder}, pid ${pid}); wait for it to finish or stop it with Ctrl-C ` +
          'in its terminal. Nothing was changed.\n',
      );
      process.exit(3);
    }
  }
  writeFileSync(file, `${process.pid} ${name}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').startsWith(`${process.pid} `)) rmSync(file);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function nodeTs(file) {
  return [process.execPath, ['-r', '@swc-node/register', join(ROOT, file)]];
}

export const SWC_ENV = { SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') };

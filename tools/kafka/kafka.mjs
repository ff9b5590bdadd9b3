#!/usr/bin/env node
// A real single-node Apache Kafka (KRaft, broker+controller in one JVM) run from its Maven Central jars,
// because this machine has no Docker and no Debian package for Kafka. Kafka is pinned to 3.9.x: kafkajs
// 2.2.4 (our client) speaks protocol versions that Kafka 4.x removed (KIP-896).
//
// CLI:    node tools/kafka/kafka.mjs fetch | start [--fresh] | stop | status
// Module: ensureKafka({ port, log }) -> { brokers, startedByUs };  stopKafka({ port })
//
// Plain Node ESM with no dependencies of its own; kafkajs (already installed) is imported lazily, only to
// probe a broker, so `fetch` works before anything else is installed or generated.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CACHE = join(ROOT, '.cache', 'kafka');
const LOGS = join(CACHE, 'logs');

export const KAFKA_VERSION = process.env.KAFKA_VERSION || '3.9.1';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const PROGRESS_EVERY_MS = 5_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

class KafkaToolError extends Error {
  /** @param {'FETCH_FAILED'|'JAVA_MISSING'|'PORT_NOT_KAFKA'|'CONTROLLER_PORT_TAKEN'|'FORMAT_FAILED'|'START_TIMEOUT'|'BROKER_EXITED'|'BAD_PORT'|'FRESH_ON_FOREIGN_BROKER'} code */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ---------------------------------------------------------------- paths and ports

function libsDir(version = KAFKA_VERSION) {
  return join(CACHE, version, 'libs');
}
function fetchedMarker(version = KAFKA_VERSION) {
  return join(CACHE, version, '.fetched.json');
}

function parsePort(value, name) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new KafkaToolError('BAD_PORT', `${name}=${value} is not a TCP port (1-65535)`);
  }
  return n;
}

/** The broker port comes from the caller, else KAFKA_PORT, else 9092; the controller's from
 *  KAFKA_CONTROLLER_PORT, else broker port + 1 (9093 for the default). */
function resolvePorts(port) {
  const brokerPort = parsePort(port ?? process.env.KAFKA_PORT ?? 9092, port != null ? 'port' : 'KAFKA_PORT');
  const controllerPort = process.env.KAFKA_CONTROLLER_PORT
    ? parsePort(process.env.KAFKA_CONTROLLER_PORT, 'KAFKA_CONTROLLER_PORT')
    : brokerPort + 1;
  return { brokerPort, controllerPort };
}

function instancePaths(brokerPort) {
  const runDir = join(CACHE, `run-${brokerPort}`);
  return {
    dataDir: join(CACHE, `data-${brokerPort}`),
    logDir: join(CACHE, `data-${brokerPort}`, 'kraft-combined-logs'),
    runDir,
    serverProperties: join(runDir, 'server.properties'),
    log4jProperties: join(runDir, 'log4j.properties'),
    toolsLog4jProperties: join(runDir, 'tools-log4j.properties'),
    pidFile: join(CACHE, `kafka-${brokerPort}.pid`),
    lockFile: join(CACHE, `start-${brokerPort}.lock`),
    serverLog: join(LOGS, brokerPort === 9092 ? 'server.log' : `server-${brokerPort}.log`),
    stdoutLog: join(LOGS, `kafka-${brokerPort}.out`),
  };
}

// ---------------------------------------------------------------- fetch

function isFetched(version = KAFKA_VERSION) {
  return (
    existsSync(fetchedMarker(version)) && existsSync(join(libsDir(version), `kafka_2.13-${version}.jar`))
  );
}

/** Lays kafka_2.13 and its runtime dependencies into .cache/kafka/<version>/libs with Maven. */
export async function fetchKafka({ log = defaultLog, version = KAFKA_VERSION } = {}) {
  if (isFetched(version)) {
    const jars = readdirSync(libsDir(version)).filter((f) => f.endsWith('.jar')).length;
    log(`Kafka ${version} already fetched (${jars} jars in ${rel(libsDir(version))})`);
    return { libs: libsDir(version), fetched: false };
  }
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new KafkaToolError(
      'FETCH_FAILED',
      'mvn is not on PATH: install Maven 3.8+ (apt-get install maven) and retry.',
    );
  }
  const staging = join(CACHE, version, `libs.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const started = Date.now();
  log(
    `fetching org.apache.kafka:kafka_2.13:${version} and its dependencies from Maven Central (one-off) ...`,
  );
  const args = [
    '-q',
    '-B',
    '-f',
    join(HERE, 'pom.xml'),
    `-Dkafka.version=${version}`,
    `-Dkafka.libs.dir=${staging}`,
    'dependency:copy-dependencies',
  ];
  const child = spawn('mvn', args, { cwd: HERE, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const ticker = setInterval(
    () => log(`  still fetching ... ${seconds(Date.now() - started)}`),
    PROGRESS_EVERY_MS,
  );
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (c) => resolve(c ?? -1));
  });
  clearInterval(ticker);
  if (code !== 0 || !existsSync(join(staging, `kafka_2.13-${version}.jar`))) {
    rmSync(staging, { recursive: true, force: true });
    throw new KafkaToolError(
      'FETCH_FAILED',
      [
        `mvn could not fetch Kafka ${version} (exit ${code}).`,
        output.trim().split('\n').slice(-25).join('\n'),
        'Check: Maven Central is reachable (mvn -v; any proxy or mirror in ~/.m2/settings.xml),',
        `then rerun without -q to see the failing download: mvn -f tools/kafka/pom.xml -Dkafka.version=${version} dependency:copy-dependencies`,
        version === '3.9.1' ? 'If 3.9.1 itself is not served, fall back with KAFKA_VERSION=3.9.0.' : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  rmSync(libsDir(version), { recursive: true, force: true });
  renameSync(staging, libsDir(version));
  const jars = readdirSync(libsDir(version)).filter((f) => f.endsWith('.jar'));
  writeFileSync(
    fetchedMarker(version),
    JSON.stringify({ version, jars: jars.length, at: new Date().toISOString() }) + '\n',
  );
  log(`fetched ${jars.length} jars into ${rel(libsDir(version))} in ${seconds(Date.now() - started)}`);
  return { libs: libsDir(version), fetched: true };
}

// ---------------------------------------------------------------- config files

function serverProperties({ brokerPort, controllerPort, logDir }) {
  return `# Written by tools/kafka/kafka.mjs on every start; edit that file, not this one.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${controllerPort}
listeners=PLAINTEXT://${HOST}:${brokerPort},CONTROLLER://${HOST}:${controllerPort}
advertised.listeners=PLAINTEXT://${HOST}:${brokerPort}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${logDir}
# Topics are declared (contracts), never created by a typo in a producer.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Fewer internal partitions than the default 50: one node, and the first group/transaction comes up faster.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10
# Tests join groups constantly; the 3 s default delay would slow every one of them.
group.initial.rebalance.delay.ms=0
num.network.threads=3
num.io.threads=4
log.retention.hours=168
log.segment.bytes=104857600
`;
}

function log4jProperties(serverLog) {
  return `# Written by tools/kafka/kafka.mjs: the broker logs to ${serverLog}
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=${serverLog}
log4j.appender.kafkaAppender.MaxFileSize=20MB
log4j.appender.kafkaAppender.MaxBackupIndex=3
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.state.change.logger=INFO
`;
}

const TOOLS_LOG4J = `log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
`;

// ---------------------------------------------------------------- processes

function javaBin() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function checkJava() {
  const r = spawnSync(javaBin(), ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new KafkaToolError(
      'JAVA_MISSING',
      `no Java found (${javaBin()}): install a JDK 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`,
    );
  }
}

function readPid(pidFile) {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Alive and not a zombie (a detached child we spawned in this process stays a zombie until reaped). */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Guards against signalling a recycled pid that is no longer our broker. */
function isOurBroker(pid, brokerPort) {
  if (!isAlive(pid)) return false;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('kafka.Kafka') && cmd.includes(join(`run-${brokerPort}`, 'server.properties'));
  } catch {
    return true;
  }
}

/** Last lines of a log, from byte `from` on (what this start wrote; the whole file if it was rotated). */
function tail(file, lines = 30, from = 0) {
  try {
    const buf = readFileSync(file);
    const text = buf
      .subarray(from <= buf.length ? from : 0)
      .toString('utf8')
      .trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(nothing written)';
  } catch {
    return `(no ${rel(file)})`;
  }
}

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function rel(p) {
  return p.startsWith(ROOT) ? p.slice(ROOT.length + 1) : p;
}

function defaultLog(line) {
  console.log(`[kafka] ${line}`);
}

// ---------------------------------------------------------------- probes

function acceptsTcp(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let kafkajsModule;
async function kafkajs() {
  kafkajsModule ??= (await import('kafkajs')).default;
  return kafkajsModule;
}

/** True when a kafkajs admin client can describe the cluster at 127.0.0.1:port. */
async function kafkajsAnswers(port, timeoutMs = 4000) {
  const { Kafka, logLevel } = await kafkajs();
  const kafka = new Kafka({
    clientId: 'paylend-kafka-probe',
    brokers: [`${HOST}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    authenticationTimeout: 1000,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  let timer;
  try {
    const probe = (async () => {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length > 0;
    })();
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs + 1000)));
    return await Promise.race([probe.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- start lock

/** Serialises starts of the same port across processes (parallel test runs, two engineers). */
async function withStartLock(lockFile, log, fn) {
  mkdirSync(dirname(lockFile), { recursive: true });
  const deadline = Date.now() + READY_TIMEOUT_MS + 30_000;
  let announced = false;
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      writeFileSync(lockFile, String(process.pid));
      break;
    } catch {
      const holder = readPid(lockFile);
      if (holder == null || !isAlive(holder)) {
        // A crashed starter left it; an empty file may be a starter between create and write.
        if (holder != null || Date.now() - safeMtime(lockFile) > 5000) rmSync(lockFile, { force: true });
      } else if (!announced) {
        log(`another process (pid ${holder}) is starting Kafka on this port; waiting for it ...`);
        announced = true;
      }
      if (Date.now() > deadline) rmSync(lockFile, { force: true });
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(lockFile) === process.pid) rmSync(lockFile, { force: true });
  }
}

function safeMtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------- start / stop / status

/**
 * Makes sure a Kafka broker answers kafkajs on 127.0.0.1:port: reuses one that already does,
 * else fetches the jars (once), formats storage (once) and starts one detached.
 * `freshIfStarting` wipes the data dir only when a broker has to be started (a running one is reused as
 * is): for callers whose topics are throwaway, like the test suite, which creates new ones every run.
 * @param {{ port?: number, log?: (line: string) => void, fresh?: boolean, freshIfStarting?: boolean }} [options]
 * @returns {Promise<{ brokers: string, startedByUs: boolean, pid?: number, startMs?: number }>}
 */
export async function ensureKafka({ port, log = defaultLog, fresh = false, freshIfStarting = false } = {}) {
  const { brokerPort, controllerPort } = resolvePorts(port);
  const paths = instancePaths(brokerPort);
  const brokers = `${HOST}:${brokerPort}`;
  mkdirSync(LOGS, { recursive: true });

  return withStartLock(paths.lockFile, log, async () => {
    if (fresh) await stopKafka({ port: brokerPort, log });

    if (await acceptsTcp(brokerPort)) {
      if (await kafkajsAnswers(brokerPort)) {
        if (fresh) {
          throw new KafkaToolError(
            'FRESH_ON_FOREIGN_BROKER',
            `--fresh: the broker on ${brokers} was not started by this script (no pid file), so its data is not ours to wipe. Stop it, or pick another KAFKA_PORT.`,
          );
        }
        const pid = readPid(paths.pidFile);
        const ours = pid != null && isOurBroker(pid, brokerPort);
        log(`Kafka already running on ${brokers}${ours ? ` (pid ${pid})` : ''}; reusing it`);
        return { brokers, startedByUs: false, ...(ours ? { pid } : {}) };
      }
      const pid = readPid(paths.pidFile);
      if (pid != null && isOurBroker(pid, brokerPort)) {
        // Our broker is up but not answering yet (still starting, or shutting down): wait for it.
        log(`Kafka (pid ${pid}) is listening on ${brokers} but not ready yet; waiting ...`);
        const startMs = await waitReady({ brokerPort, pid, paths, log, since: Date.now() });
        return { brokers, startedByUs: false, pid, startMs };
      }
      throw new KafkaToolError(
        'PORT_NOT_KAFKA',
        `port ${brokerPort} on ${HOST} is taken by something that does not answer as Kafka. Stop it, or run Kafka elsewhere with KAFKA_PORT=<free port> (and KAFKA_BROKERS=${HOST}:<that port> for tests).`,
      );
    }
    if (await acceptsTcp(controllerPort)) {
      throw new KafkaToolError(
        'CONTROLLER_PORT_TAKEN',
        `the KRaft controller port ${controllerPort} on ${HOST} is taken by another process. Set KAFKA_CONTROLLER_PORT=<free port>.`,
      );
    }

    const stale = readPid(paths.pidFile);
    if (stale != null && isOurBroker(stale, brokerPort)) {
      // Alive but bound to neither port: an earlier broker still starting up or shutting down.
      log(`an earlier broker (pid ${stale}) is still winding up/down; stopping it first`);
      await stopKafka({ port: brokerPort, log });
    }
    rmSync(paths.pidFile, { force: true });

    await fetchKafka({ log });
    checkJava();
    const started = Date.now();
    if ((fresh || freshIfStarting) && existsSync(paths.dataDir)) {
      log(`${fresh ? '--fresh' : 'a fresh broker for throwaway topics'}: wiping ${rel(paths.dataDir)}`);
      rmSync(paths.dataDir, { recursive: true, force: true });
    }
    mkdirSync(paths.runDir, { recursive: true });
    mkdirSync(paths.logDir, { recursive: true });
    writeFileSync(
      paths.serverProperties,
      serverProperties({ brokerPort, controllerPort, logDir: paths.logDir }),
    );
    writeFileSync(paths.log4jProperties, log4jProperties(paths.serverLog));
    writeFileSync(paths.toolsLog4jProperties, TOOLS_LOG4J);
    formatStorage(paths, log);

    const heap = (process.env.KAFKA_HEAP_OPTS || '-Xmx512m -Xms256m').split(/\s+/).filter(Boolean);
    const jvmArgs = [
      ...heap,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${paths.log4jProperties}`,
      `-Dkafka.logs.dir=${LOGS}`,
      '-cp',
      join(libsDir(), '*'),
      'kafka.Kafka',
      paths.serverProperties,
    ];
    const logFrom = { server: fileSize(paths.serverLog), stdout: fileSize(paths.stdoutLog) };
    const out = openSync(paths.stdoutLog, 'a');
    writeFileSync(
      out,
      `\n==== ${new Date().toISOString()} starting Kafka ${KAFKA_VERSION} on ${brokers} ====\n`,
    );
    const child = spawn(javaBin(), jvmArgs, {
      cwd: paths.runDir,
      detached: true,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    child.unref();
    if (child.pid == null) throw new KafkaToolError('BROKER_EXITED', `could not spawn ${javaBin()}`);
    writeFileSync(paths.pidFile, `${child.pid}\n`);
    log(
      `started Kafka ${KAFKA_VERSION} (pid ${child.pid}) on ${brokers}, controller on ${HOST}:${controllerPort}; log: ${rel(paths.serverLog)}`,
    );
    const startMs = await waitReady({ brokerPort, pid: child.pid, paths, log, since: started, logFrom });
    return { brokers, startedByUs: true, pid: child.pid, startMs };
  });
}

/**
 * A random cluster id in Kafka's form (16 bytes, base64url). One that starts with '-' would be read by
 * kafka-storage as an option ("argument --cluster-id: expected one argument"): redrawn, as Kafka's own
 * Uuid.randomUuid does.
 */
export function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function formatStorage(paths, log) {
  if (existsSync(join(paths.logDir, 'meta.properties'))) return;
  const clusterId = newClusterId();
  log(`formatting storage in ${rel(paths.logDir)} (cluster id ${clusterId})`);
  const r = spawnSync(
    javaBin(),
    [
      '-Xmx256m',
      `-Dlog4j.configuration=file:${paths.toolsLog4jProperties}`,
      '-cp',
      join(libsDir(), '*'),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      paths.serverProperties,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    throw new KafkaToolError(
      'FORMAT_FAILED',
      `kafka-storage format failed (exit ${r.status}):\n${(r.stdout || '') + (r.stderr || '')}\nIf the data dir is damaged, start again with --fresh (wipes ${rel(paths.dataDir)}).`,
    );
  }
}

async function waitReady({ brokerPort, pid, paths, log, since, logFrom = { server: 0, stdout: 0 } }) {
  const deadline = since + READY_TIMEOUT_MS;
  let nextProgress = Date.now() + PROGRESS_EVERY_MS;
  for (;;) {
    if (!isAlive(pid)) {
      throw new KafkaToolError(
        'BROKER_EXITED',
        [
          `Kafka (pid ${pid}) exited before it was ready. Last lines of ${rel(paths.serverLog)}:`,
          tail(paths.serverLog, 30, logFrom.server),
          `JVM output (${rel(paths.stdoutLog)}):`,
          tail(paths.stdoutLog, 15, logFrom.stdout),
          `If the data dir is damaged or from another version, retry with --fresh (wipes ${rel(paths.dataDir)}).`,
        ].join('\n'),
      );
    }
    if ((await acceptsTcp(brokerPort, 500)) && (await kafkajsAnswers(brokerPort, 3000))) {
      const ms = Date.now() - since;
      log(`Kafka ready on ${HOST}:${brokerPort} after ${seconds(ms)}`);
      return ms;
    }
    if (Date.now() > deadline) {
      throw new KafkaToolError(
        'START_TIMEOUT',
        [
          `Kafka (pid ${pid}) did not answer kafkajs on ${HOST}:${brokerPort} within ${seconds(READY_TIMEOUT_MS)}. Last 30 lines of ${rel(paths.serverLog)}:`,
          tail(paths.serverLog, 30, logFrom.server),
          `JVM output (${rel(paths.stdoutLog)}):`,
          tail(paths.stdoutLog, 15, logFrom.stdout),
          'It is left running: check `node tools/kafka/kafka.mjs status` again in a moment, or stop it and retry with --fresh; on a loaded machine give it more time.',
        ].join('\n'),
      );
    }
    if (Date.now() >= nextProgress) {
      log(`  waiting for Kafka ... ${seconds(Date.now() - since)}`);
      nextProgress += PROGRESS_EVERY_MS;
    }
    await sleep(500);
  }
}

/**
 * Stops the broker this script started on that port (the one in its pid file): SIGTERM, then SIGKILL after 30 s.
 * Leaves a broker started some other way alone.
 * @returns {Promise<{ stopped: boolean, pid?: number }>}
 */
export async function stopKafka({ port, log = defaultLog } = {}) {
  const { brokerPort } = resolvePorts(port);
  const { pidFile } = instancePaths(brokerPort);
  const pid = readPid(pidFile);
  if (pid == null || !isOurBroker(pid, brokerPort)) {
    rmSync(pidFile, { force: true });
    log(`no Kafka started by this script is running on port ${brokerPort}`);
    return { stopped: false };
  }
  const started = Date.now();
  log(`stopping Kafka (pid ${pid}) on port ${brokerPort} ...`);
  process.kill(pid, 'SIGTERM');
  let nextProgress = Date.now() + PROGRESS_EVERY_MS;
  while (isAlive(pid) && Date.now() - started < STOP_TIMEOUT_MS) {
    await sleep(200);
    if (Date.now() >= nextProgress) {
      log(`  waiting for a clean shutdown ... ${seconds(Date.now() - started)}`);
      nextProgress += PROGRESS_EVERY_MS;
    }
  }
  if (isAlive(pid)) {
    log(`Kafka did not exit within ${seconds(STOP_TIMEOUT_MS)}; sending SIGKILL`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited between the check and the kill
    }
    while (isAlive(pid)) await sleep(100);
  }
  rmSync(pidFile, { force: true });
  log(`stopped Kafka (pid ${pid}) in ${seconds(Date.now() - started)}`);
  return { stopped: true, pid };
}

/** @returns {Promise<{ running: boolean, pid: number|null, port: number, ours: boolean }>} */
export async function kafkaStatus({ port } = {}) {
  const { brokerPort } = resolvePorts(port);
  const { pidFile } = instancePaths(brokerPort);
  const pid = readPid(pidFile);
  const ours = pid != null && isOurBroker(pid, brokerPort);
  const running = (await acceptsTcp(brokerPort)) && (await kafkajsAnswers(brokerPort));
  return { running, pid: ours ? pid : null, port: brokerPort, ours };
}

// ---------------------------------------------------------------- CLI

const USAGE = `usage: node tools/kafka/kafka.mjs <command>   (or: npm run kafka -- <command>)
  fetch            download Kafka ${KAFKA_VERSION} jars from Maven Central into .cache/kafka/${KAFKA_VERSION}/libs (once)
  start [--fresh]  start a single-node KRaft broker on 127.0.0.1:$KAFKA_PORT (default 9092), or reuse a running one;
                   --fresh wipes the broker's data dir first
  stop             stop the broker this script started on that port
  status           say whether a broker answers on that port
env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP_OPTS (-Xmx512m -Xms256m), KAFKA_VERSION (${KAFKA_VERSION})`;

async function main(argv) {
  const [command, ...rest] = argv;
  const fresh = rest.includes('--fresh');
  switch (command) {
    case 'fetch':
      await fetchKafka();
      return 0;
    case 'start': {
      const r = await ensureKafka({ fresh });
      console.log(`KAFKA_BROKERS=${r.brokers}`);
      return 0;
    }
    case 'stop':
      await stopKafka();
      return 0;
    case 'status': {
      const s = await kafkaStatus();
      if (s.running) {
        console.log(
          `running on ${HOST}:${s.port}${s.pid != null ? ` (pid ${s.pid}, started by this script)` : ' (not started by this script)'}`,
        );
        return 0;
      }
      console.log(
        `not running on ${HOST}:${s.port}${s.pid != null ? ` (pid ${s.pid} is alive but not answering yet)` : ''}`,
      );
      return 3;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

if (process.argv[1] && realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`[kafka] ${err instanceof KafkaToolError ? `${err.code}: ` : ''}${err.message}`);
      process.exitCode = 1;
    },
  );
}

// The wallet scenario of `npm run demo`: two consumers, a top-up, a P2P transfer, an over-limit transfer
// that is refused, and both statements, all through the gateway's HTTP API. The scenario itself is
// apps/gateway/src/demo/wallet-scenario.ts (walletScenario); this module loads it through SWC.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export default async function walletDemo({ gatewayUrl, say }) {
  process.env.SWC_NODE_PROJECT ??= join(ROOT, 'tsconfig.base.json');
  const require = createRequire(import.meta.url);
  require('@swc-node/register');
  const { walletScenario } = require(join(ROOT, 'apps', 'gateway', 'src', 'demo', 'wallet-scenario.ts'));
  await walletScenario(gatewayUrl, say);
}

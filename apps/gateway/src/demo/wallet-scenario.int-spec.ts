import { startWalletStack, type WalletStack } from '../testing/wallet-stack';
import { walletScenario } from './wallet-scenario';

jest.setTimeout(120_000);

let stack: WalletStack;
beforeAll(async () => {
  stack = await startWalletStack();
});
afterAll(async () => {
  await stack?.stop();
});

it('runs the wallet demo and prints readable lines with decimal amounts and currencies', async () => {
  const lines: string[] = [];
  await walletScenario(stack.gateway.url, (l) => lines.push(l));
  const text = lines.join('\n');
  expect(text).toMatch(/deposit of 800\.00 CNY \(reference demo-[0-9a-f]+\): credited/);
  expect(text).toMatch(/refused with HTTP 422 LIMIT_PER_TRANSACTION/);
  expect(text).toMatch(/p2p-out\s+-\s*150\.00 CNY\s+balance\s+650\.00 CNY/);
  expect(text).toMatch(/p2p-in\s+\+\s*150\.00 CNY\s+balance\s+150\.00 CNY/);
});

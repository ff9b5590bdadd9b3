import {
  type Actor,
  captureHoldCommand,
  createHoldCommand,
  createHoldsCommand,
  MAX_HOLDS_PER_COMMAND,
  getHoldCommand,
  type ErrorBody,
  getWalletsCommand,
  type HoldView,
  type MoneyDto,
  openWalletCommand,
  p2pTransferCommand,
  type TransferView,
  voidHoldCommand,
  type WalletView,
} from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';

/** How payments acts on wallets it does not own: as the platform service, never as an operator. */
export const PAYMENTS_ACTOR: Actor = { userId: 'svc-payments', roles: ['service'] };

/** A hold payments asks for: always into a merchant's wallet, for an order, with a timeout. */
type HoldRequest = {
  actor: Actor;
  holdId: string;
  walletId: string;
  amount: MoneyDto;
  toWalletId: string;
  reference: string;
  timeoutSeconds: number;
  capture?: { actor: Actor; fee: MoneyDto; notAfter: string };
};

export type WalletResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody; unavailable: boolean };

/** A wallet answer as payments acts on it: INTERNAL (the wallet could not process it) counts as unavailable. */
function resultOf<T>(reply: { ok: true; value: T } | { ok: false; error: ErrorBody }): WalletResult<T> {
  return reply.ok ? reply : { ok: false, error: reply.error, unavailable: reply.error.code === 'INTERNAL' };
}

/**
 * The wallet commands payments uses, over Kafka request/reply. Every id is deterministic (hold per order
 * and payer, refund transfer per refund id), so a retry after a timeout replays rather than moves money twice.
 */
export class WalletPort {
  constructor(
    private readonly requests: RequestClient,
    private readonly timeoutMs: number,
  ) {}

  private async call<T>(
    send: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorBody }>,
  ): Promise<WalletResult<T>> {
    try {
      return resultOf(await send());
    } catch (err) {
      if (err instanceof RequestTimeoutError) {
        return { ok: false, error: { code: err.code, message: err.message }, unavailable: true };
      }
      throw err;
    }
  }

  /**
   * The wallet captures of a merchant are paid into: one per merchant, owned by `merchant:<id>`, opened as a
   * merchant wallet (the tier table's merchant tier: no balance cap, a business's limits).
   */
  openMerchantWallet(
    merchantId: string,
    currency: string,
  ): Promise<WalletResult<WalletView & { created: boolean }>> {
    return this.call(() =>
      this.requests.request(
        openWalletCommand,
        { actor: PAYMENTS_ACTOR, userId: `merchant:${merchantId}`, currency, kind: 'merchant' },
        this.timeoutMs,
      ),
    );
  }

  /** The wallet as `actor` sees it: WALLET_NOT_FOUND when it is not theirs. */
  async walletFor(actor: Actor, walletId: string): Promise<WalletResult<WalletView>> {
    const r = await this.call(() =>
      this.requests.request(getWalletsCommand, { actor, walletId }, this.timeoutMs),
    );
    if (!r.ok) return r;
    const w = r.value.find((x) => x.walletId === walletId);
    return w
      ? { ok: true, value: w }
      : {
          ok: false,
          error: { code: 'WALLET_NOT_FOUND', message: `no wallet ${walletId} that you can access` },
          unavailable: false,
        };
  }

  hold(input: HoldRequest): Promise<WalletResult<HoldView>> {
    return this.call(() => this.requests.request(createHoldCommand, input, this.timeoutMs));
  }

  /**
   * For each input, holds `amount` on the payer's wallet and captures all of it into `toWalletId` with `fee`
   * to the platform, in one wallet transaction (both or neither); refused with nothing done once `notAfter`
   * has passed, so a caller that gave up waiting can settle the order without a late delivery moving money.
   * One `create-holds` command per receiving wallet (up to MAX_HOLDS_PER_COMMAND holds each), all sent at
   * once. Answers one result per input, in order; a command that gets no answer leaves each of its holds
   * `unavailable`.
   */
  async holdAndCaptureMany(
    inputs: ReadonlyArray<HoldRequest & { fee: MoneyDto; notAfter: string }>,
  ): Promise<Array<WalletResult<HoldView>>> {
    const groups = new Map<string, number[]>();
    inputs.forEach((input, i) => {
      const group = groups.get(input.toWalletId) ?? [];
      group.push(i);
      groups.set(input.toWalletId, group);
    });
    const commands: number[][] = [];
    for (const group of groups.values())
      for (let i = 0; i < group.length; i += MAX_HOLDS_PER_COMMAND)
        commands.push(group.slice(i, i + MAX_HOLDS_PER_COMMAND));
    const results = new Array<WalletResult<HoldView>>(inputs.length);
    await Promise.all(
      commands.map(async (indices) => {
        const holds = indices.map((i) => {
          const { fee, notAfter, ...hold } = inputs[i]!;
          return { ...hold, capture: { actor: PAYMENTS_ACTOR, fee, notAfter } };
        });
        const answer = await this.call(() =>
          this.requests.request(createHoldsCommand, { holds }, this.timeoutMs),
        );
        if (answer.ok && answer.value.length !== holds.length)
          throw new Error(`the wallet answered ${answer.value.length} holds for ${holds.length}`);
        indices.forEach((i, k) => (results[i] = answer.ok ? resultOf(answer.value[k]!) : answer));
      }),
    );
    return results;
  }

  /** Captures `amount` into the merchant's wallet and takes `fee` from it to the platform, as one chain. */
  capture(holdId: string, amount: MoneyDto, fee: MoneyDto): Promise<WalletResult<HoldView>> {
    return this.call(() =>
      this.requests.request(
        captureHoldCommand,
        { actor: PAYMENTS_ACTOR, holdId, amount, fee },
        this.timeoutMs,
      ),
    );
  }

  getHold(holdId: string): Promise<WalletResult<HoldView>> {
    return this.call(() =>
      this.requests.request(getHoldCommand, { actor: PAYMENTS_ACTOR, holdId }, this.timeoutMs),
    );
  }

  void(holdId: string): Promise<WalletResult<HoldView>> {
    return this.call(() =>
      this.requests.request(voidHoldCommand, { actor: PAYMENTS_ACTOR, holdId }, this.timeoutMs),
    );
  }

  /** Pays a refund from the merchant's wallet back to the payer. */
  refund(input: {
    refundId: string;
    fromWalletId: string;
    toUserId: string;
    amount: MoneyDto;
    note: string;
  }): Promise<WalletResult<TransferView>> {
    return this.call(() =>
      this.requests.request(
        p2pTransferCommand,
        {
          actor: PAYMENTS_ACTOR,
          transferId: `refund:${input.refundId}`,
          fromWalletId: input.fromWalletId,
          toUserId: input.toUserId,
          amount: input.amount,
          note: input.note.slice(0, 140),
        },
        this.timeoutMs,
      ),
    );
  }
}

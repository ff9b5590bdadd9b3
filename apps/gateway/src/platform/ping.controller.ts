import { Controller, Get, HttpException, Inject, Ip, Param } from '@nestjs/common';
import { pingCommand } from '@paylend/contracts';
import { RequestTimeoutError, type RequestClient } from '@paylend/messaging';
import { REQUEST_CLIENT } from '@paylend/platform';
import { RATE_LIMITER } from '../http/tokens';
import { takeOrRefuse } from '../rate-limit/take-or-refuse';
import type { RateLimiter } from '../rate-limit/token-bucket';

const BACKENDS = ['wallet', 'payments', 'lending', 'scoring'] as const;
type Backend = (typeof BACKENDS)[number];

/**
 * Round-trips a ping to a backend over Kafka request/reply: how operators and probes check the message path.
 * It needs no token (a probe has none), so it is rate-limited by client address: each ping is a command
 * the backend records in its inbox.
 */
@Controller('v1/platform')
export class PingController {
  constructor(
    @Inject(REQUEST_CLIENT) private readonly requests: RequestClient,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  @Get('ping/:service')
  async ping(@Param('service') service: string, @Ip() ip: string | undefined) {
    takeOrRefuse(this.limiter, `ip:${ip ?? 'unknown'}`);
    if (!BACKENDS.includes(service as Backend)) {
      throw new HttpException(
        { code: 'UNKNOWN_SERVICE', message: `no service "${service}"; one of ${BACKENDS.join(', ')}` },
        404,
      );
    }
    const started = Date.now();
    try {
      const reply = await this.requests.request(
        pingCommand(service as Backend),
        { from: 'gateway', sentAt: new Date().toISOString() },
        3000,
      );
      if (!reply.ok) throw new HttpException({ code: reply.error.code, message: reply.error.message }, 502);
      return { ...reply.value, roundTripMs: Date.now() - started };
    } catch (err) {
      if (err instanceof RequestTimeoutError) {
        throw new HttpException({ code: err.code, message: err.message }, 504);
      }
      throw err;
    }
  }
}

import type { INestApplication } from '@nestjs/common';
import type { ServiceRuntime } from '@paylend/platform';
import { DEV_PAYMENT_CODE_SECRET } from './config/payments-config';
import { paymentsService } from './payments.service';

describe('payments service start-up', () => {
  const start = async (secret: string) => {
    const warn = jest.fn();
    const runtime = {
      config: { PAYMENT_CODE_SECRET: secret },
      logger: { warn },
    } as unknown as ServiceRuntime;
    await paymentsService.configureHttp!({} as INestApplication, runtime);
    return warn;
  };

  it('warns while payment codes are derived from the documented development secret', async () => {
    expect(await start(DEV_PAYMENT_CODE_SECRET)).toHaveBeenCalledWith(
      expect.stringContaining('PAYMENT_CODE_SECRET is not set'),
    );
    expect(await start('a-real-deployment-secret-of-at-least-32-chars')).not.toHaveBeenCalled();
  });
});

import { Controller, Get, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { PopulationStabilityCommand, type PopulationStabilityDto, type Reply } from '@paylend/contracts';
import type { Clock } from '@paylend/ledger';
import { PG_POOL } from '@paylend/platform';
import type { Scorecard } from '@paylend/scorecard';
import type { DriftSettings } from '../config/scoring-config';
import { CLOCK, DRIFT_SETTINGS, SCORING_MODEL } from '../model/scoring-model';
import { isAlerting, recentRawScores } from '@paylend/scoring-data-access';
import { populationStability } from './population-stability';

/** Population stability of the live model: HTTP for operators, a command for the gateway. */
@Controller('v1/scoring/monitoring')
export class MonitoringController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SCORING_MODEL) private readonly model: Scorecard,
    @Inject(DRIFT_SETTINGS) private readonly drift: DriftSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('psi')
  psi(): Promise<PopulationStabilityDto> {
    return this.current();
  }

  // A read with no effect: answered from the pool rather than the inbox transaction, which only records it.
  @MessagePattern(PopulationStabilityCommand.topic)
  async psiCommand(): Promise<Reply<PopulationStabilityDto>> {
    return { ok: true, value: await this.current() };
  }

  private async current(): Promise<PopulationStabilityDto> {
    const client = await this.pool.connect();
    try {
      const scores = await recentRawScores(client, this.model.artifact.model, this.drift.window);
      const report = populationStability(this.model, scores, this.drift);
      return {
        model: { name: this.model.artifact.model.name, version: this.model.artifact.model.version },
        psi: report.psi,
        status: report.status,
        threshold: this.drift.threshold,
        sampleSize: report.sampleSize,
        window: this.drift.window,
        minSample: this.drift.minSample,
        buckets: report.buckets,
        alerting: await isAlerting(client, this.model.artifact.model),
        computedAt: this.clock.now().toISOString(),
      };
    } finally {
      client.release();
    }
  }
}

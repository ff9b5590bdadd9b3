import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI document: the UI at /docs and the JSON at /docs-json. */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('PayLend gateway')
    .setDescription(
      'The HTTP edge of PayLend. Authenticate with a bearer JWT (HS256). Amounts are decimal strings with a currency. ' +
        'Requests that move money need an Idempotency-Key header. Errors are { code, message, details }.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

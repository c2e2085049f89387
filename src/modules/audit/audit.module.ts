import { Global, Module } from '@nestjs/common';

import { AccessLogController } from './access-log.controller';
import { SensitiveReadLog } from './sensitive-read-log';

/** Traceability of sensitive reads (health data, bank details) by staff and auditors. */
@Global()
@Module({ controllers: [AccessLogController], providers: [SensitiveReadLog], exports: [SensitiveReadLog] })
export class AuditModule {}

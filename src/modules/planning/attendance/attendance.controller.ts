import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

import { Roles } from '../../../platform/auth/auth.decorators';
import { Commands } from '../../../platform/commands/stream-command';
import { StreamReader } from '../../../platform/commands/stream-reader';
import { bodyId } from '../../../platform/domain/text';
import { AuthenticatedRequest, commandContext, pathId } from '../../../platform/http/command-http';
import { ActivityDaysInScope, DayParam } from '../allocation/activity-days-in-scope';
import { allocationCommands } from '../allocation/allocation.commands';
import { attendanceCommands } from './attendance.commands';
import { MAX_ATTENDANCE_ENTRIES } from './attendance.decider';
import { ATTENDANCE_STATUSES } from './attendance.events';

class AttendanceBody extends createZodDto(
  z.strictObject({
    entries: z
      .array(z.strictObject({ familyId: pathId, childId: bodyId("Identifiant de l'enfant"), status: z.enum(ATTENDANCE_STATUSES) }))
      .min(1)
      .max(MAX_ATTENDANCE_ENTRIES)
      .describe('present, absent (à vérifier), absent-excused, absent-billed'),
  }),
) {}

/** Staff: the attendance sheet (pointage) of an activity-day. */
@ApiTags('Planning (agents)')
@ApiBearerAuth()
@Controller('activities/:activityId/days/:date/attendance')
export class AttendanceController {
  constructor(
    private readonly commands: Commands,
    private readonly reader: StreamReader,
    private readonly days: ActivityDaysInScope,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('staff', 'admin')
  @ApiOperation({ summary: 'Relever les présences du jour : présent, absent, absent excusé, absent facturé' })
  async record(@Param() p: DayParam, @Body() body: AttendanceBody, @Req() rq: AuthenticatedRequest) {
    await this.days.inScope(rq, p.activityId);
    const day = { activityId: p.activityId, date: p.date };
    const booked = await this.reader.read(allocationCommands, day, (state) =>
      state.allocated.map((requestId) => `${state.requests[requestId].familyId}|${state.requests[requestId].childId}`),
    );
    const result = await this.commands.send(
      attendanceCommands,
      day,
      { type: 'RecordAttendance', entries: body.entries, booked },
      commandContext(rq),
    );
    return { recorded: result.events.length };
  }
}

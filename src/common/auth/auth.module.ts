import { Module } from '@nestjs/common';
import { WhoAmIController } from 'src/common/auth/whoami.controller';

/** GET /auth/whoami; the guard itself is global (app.module). */
@Module({ controllers: [WhoAmIController] })
export class AuthModule {}

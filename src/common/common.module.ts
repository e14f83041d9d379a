import { Global, Module } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { DomainEvents } from 'src/common/events/domain-events';

@Global()
@Module({ providers: [Clock, DomainEvents], exports: [Clock, DomainEvents] })
export class CommonModule {}

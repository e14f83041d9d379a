import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

/**
 * The one typed event map. Each module adds its events by declaration merging in its own
 * `<name>.events.ts`:
 *   declare module 'src/common/events/domain-events' { interface DomainEventMap { 'metrics.recorded': MetricsRecordedEvent } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DomainEventMap {}

@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  /** Runs every listener and waits for them; listener errors are the listener's to handle (see @OnDomainEvent). */
  async emit<Name extends keyof DomainEventMap>(name: Name, payload: DomainEventMap[Name]): Promise<void> {
    await this.emitter.emitAsync(name as string, payload);
  }
}

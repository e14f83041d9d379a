import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { outsideRequest } from 'src/common/http/request-context';

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

  /**
   * Runs every listener and waits for them; listener errors are the listener's to handle (see @OnDomainEvent).
   * Listeners run outside the request that caused the event: their writes are the system's, not audited as the caller's.
   */
  async emit<Name extends keyof DomainEventMap>(name: Name, payload: DomainEventMap[Name]): Promise<void> {
    await outsideRequest(() => this.emitter.emitAsync(name as string, payload));
  }
}

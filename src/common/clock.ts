import { Injectable } from '@nestjs/common';

/** The service's notion of "now"; tests replace it to control time instead of sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

import { Global, Module } from '@nestjs/common';
import { Clock } from 'src/common/clock';
import { DomainEvents } from 'src/common/events/domain-events';
import { Secrets } from 'src/common/secrets/secrets.service';
import { StoredSecretsRepository } from 'src/common/secrets/stored-secrets.repository';

@Global()
@Module({ providers: [Clock, DomainEvents, Secrets, StoredSecretsRepository], exports: [Clock, DomainEvents, Secrets] })
export class CommonModule {}

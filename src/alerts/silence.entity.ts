import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { SilenceMatcher } from 'src/alerts/silence-matcher.policy';

/** `model_alert_silences`: Alertmanager-style silences; expiring one (DELETE) moves endsAt to now and keeps the row. */
@Entity({ name: 'model_alert_silences' })
@Check('ck_model_alert_silences_window', 'ends_at >= starts_at')
@Check('ck_model_alert_silences_recurrence', '(rrule IS NULL) = (duration_minutes IS NULL)')
@Index('ix_model_alert_silences_ends_at', ['endsAt'])
@Index('ix_model_alert_silences_created', ['createdAt', 'id'])
export class SilenceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'jsonb' })
  matchers: SilenceMatcher[];

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** RFC 5545 RRULE of a recurring maintenance window (DTSTART = startsAt, UTC), or null for one window. */
  @Column({ type: 'text', nullable: true })
  rrule: string | null;

  @Column({ name: 'duration_minutes', type: 'integer', nullable: true })
  durationMinutes: number | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ type: 'text' })
  comment: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

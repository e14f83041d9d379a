import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ModelEntity } from 'src/models/model.entity';

/**
 * The ground truth of one prediction, which may arrive before it (pending until a prediction with the same id is
 * logged: the join is at read time on (model_id, prediction_id), so there is no foreign key to model_predictions,
 * whose rows may come later, and no row is moved when they do). `label_class` holds a classifier's label ('0'/'1' for
 * binary), `label_value` a regression target.
 */
@Entity({ name: 'model_labels' })
@Check('ck_model_labels_one_label', `("label_class" IS NULL) <> ("label_value" IS NULL)`)
export class LabelEntity {
  @PrimaryColumn({ name: 'model_id', type: 'uuid', primaryKeyConstraintName: 'pk_model_labels' })
  modelId: string;

  @PrimaryColumn({ name: 'prediction_id', type: 'text', primaryKeyConstraintName: 'pk_model_labels' })
  predictionId: string;

  @ManyToOne(() => ModelEntity, { onDelete: 'CASCADE', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'model_id', foreignKeyConstraintName: 'fk_model_labels_model' })
  model?: ModelEntity;

  @Column({ name: 'label_class', type: 'text', nullable: true })
  labelClass: string | null;

  @Column({ name: 'label_value', type: 'double precision', nullable: true })
  labelValue: number | null;

  @Column({ name: 'labelled_at', type: 'timestamptz' })
  labelledAt: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

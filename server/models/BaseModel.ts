import { Model } from 'objection';

/** Every model: camelCase properties (the knex connection maps them to snake_case), updated_at kept. */
export class BaseModel extends Model {
  declare updatedAt?: Date;

  override $beforeUpdate(): void {
    this.updatedAt = new Date();
  }
}

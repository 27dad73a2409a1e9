/** The DynamoDB table for Terraform state locking, for accounts that prefer it to S3 lock files. */
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";

export interface LockTableProps {
  tableName: string;
  kmsKeyArn: string;
  tags: Record<string, string>;
}

export class LockTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      // Terraform's S3 backend looks locks up by this exact key name.
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      pointInTimeRecovery: { enabled: true },
      tags: props.tags,
    });
  }
}

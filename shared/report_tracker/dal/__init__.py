"""Data access: the only code that talks to S3, DynamoDB and SQS."""

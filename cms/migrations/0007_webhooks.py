from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from cms.models.webhooks import DeliveryStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('url', fields.CharField(max_length=2000)),
                ('events', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('secret', fields.CharField(max_length=100)),
                ('active', fields.BooleanField(default=True)),
                ('description', fields.CharField(default='', max_length=300)),
                ('created_by', fields.ForeignKeyField('models.Account', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='webhooks', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'webhook_endpoint', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('endpoint', fields.ForeignKeyField('models.WebhookEndpoint', source_field='endpoint_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('event_type', fields.CharField(max_length=64)),
                ('payload', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: pending\nDELIVERED: delivered\nFAILED: failed', enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('response_code', fields.IntField(null=True)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('duration_ms', fields.IntField(null=True)),
                ('last_attempt_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'webhook_delivery', 'app': 'models', 'indexes': [Index(fields=['endpoint_id', 'status', 'id'])], 'pk_attr': 'id', 'table_description': 'One event sent to one endpoint, with the outcome of its latest attempt.'},
            bases=['Model'],
        ),
    ]

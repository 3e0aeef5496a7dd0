"""Shared state for several app processes: registered persisted queries, failed authentications."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_media_failure')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuthFailure',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.CharField(max_length=64)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'auth_failure', 'app': 'models', 'indexes': [Index(fields=['client', 'at'])], 'pk_attr': 'id', 'table_description': 'Recent failed authentications, counted across processes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PersistedQuery',
            fields=[
                ('hash', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('query', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('used_at', fields.DatetimeField(db_index=True, description='Refreshed at most once an hour: the least recently used go first when there are too many.', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'persisted_query', 'app': 'models', 'pk_attr': 'hash', 'table_description': 'A query clients registered by its SHA-256 (persisted queries).'},
            bases=['Model'],
        ),
    ]

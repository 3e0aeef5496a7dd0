"""Old slugs, redirects, what imported rows were, and nested categories.

An old slug changes what ``post(slug:)`` answers and a redirect what ``redirect(path:)``
answers: both tables append to the change log as content does (migration 0005's triggers),
so cached answers go when they change.
"""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

from cms.migrations._columns import AddColumn

# The trigger builders of migration 0005, which never changes once applied.
_changes = importlib.import_module("cms.migrations.0005_changes")

# table, kind of object, column holding the object's id, whether the table is the object's own
TRACKED = [
    ("post_slug", "post", "post_id", False),
    ("redirect", "redirect", "id", True),
]


async def create_triggers(apps, schema_editor) -> None:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    make = _changes._postgres_trigger if postgres else _changes._sqlite_triggers
    for row in TRACKED:
        for sql in make(*row):
            await schema_editor.client.execute_query(sql)


async def drop_triggers(apps, schema_editor) -> None:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    for table, kind, _column, _own in TRACKED:
        name = _changes._name(table, kind)
        if postgres:
            await schema_editor.client.execute_query(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            await schema_editor.client.execute_query(f'DROP FUNCTION IF EXISTS "{name}"()')
        else:
            for op in ("insert", "update", "delete"):
                await schema_editor.client.execute_query(f'DROP TRIGGER IF EXISTS "{name}_{op}"')


class Migration(migrations.Migration):
    dependencies = [('models', '0009_translation_sources')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ImportedObject',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(max_length=300)),
                ('kind', fields.CharField(max_length=30)),
                ('external_id', fields.CharField(max_length=200)),
                ('guid', fields.CharField(null=True, max_length=1000)),
                ('object_id', fields.IntField()),
                ('digest', fields.CharField(max_length=64)),
                ('imported_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'imported_object', 'app': 'models', 'unique_together': (('source', 'kind', 'external_id'),), 'pk_attr': 'id', 'table_description': 'One object brought in from another system, by its id there: importing the same export'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PostSlug',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='old_slugs', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('slug', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'post_slug', 'app': 'models', 'unique_together': (('locale', 'slug'),), 'pk_attr': 'id', 'table_description': "A slug one of a post's translations had before: links that used it keep finding the"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Redirect',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('path', fields.CharField(unique=True, max_length=1000)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', null=True, db_constraint=True, to_field='id', related_name='redirects', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='redirects', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('models.Tag', source_field='tag_id', null=True, db_constraint=True, to_field='id', related_name='redirects', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(null=True, max_length=35)),
                ('target', fields.CharField(null=True, max_length=1000)),
                ('status', fields.SmallIntField(default=301)),
                ('origin', fields.CharField(default='', max_length=50)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'redirect', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A path the site once served (a WordPress permalink, ``/?p=123``, an archive) and its'},
            bases=['Model'],
        ),
        AddColumn(
            model_name='Category',
            name='parent_id',
            field=fields.IntField(null=True),
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]

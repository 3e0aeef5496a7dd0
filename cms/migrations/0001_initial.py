from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from cms.models.posts import PostStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Author',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('slug', fields.CharField(unique=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'author', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuthorTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('models.Author', source_field='author_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('bio', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'author_translation', 'app': 'models', 'unique_together': (('author', 'locale'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Category',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'category', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CategoryTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('name', fields.CharField(max_length=200)),
                ('slug', fields.CharField(max_length=200)),
            ],
            options={'table': 'category_translation', 'app': 'models', 'unique_together': (('category', 'locale'), ('locale', 'slug')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Tag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'tag', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Post',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('series_number', fields.IntField(null=True)),
                ('status', fields.CharEnumField(default=PostStatus.DRAFT, description='DRAFT: draft\nSCHEDULED: scheduled\nPUBLISHED: published\nARCHIVED: archived', enum_type=PostStatus, max_length=16)),
                ('publish_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('unpublish_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('author', fields.ForeignKeyField('models.Author', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.RESTRICT)),
                ('category', fields.ForeignKeyField('models.Category', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.RESTRICT)),
                ('tags', fields.ManyToManyField('models.Tag', unique=True, db_constraint=True, through='post_tag', forward_key='tag_id', backward_key='post_id', related_name='posts', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'post', 'app': 'models', 'unique_together': (('category', 'series_number'),), 'indexes': [Index(fields=['status', 'published_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PostTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('models.Post', source_field='post_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('title', fields.CharField(max_length=300)),
                ('slug', fields.CharField(max_length=200)),
                ('excerpt', fields.TextField(default='', unique=False)),
                ('body', fields.TextField(default='', unique=False)),
                ('body_html', fields.TextField(default='', unique=False)),
                ('body_text', fields.TextField(default='', unique=False)),
                ('headings', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('word_count', fields.IntField(default=0)),
                ('reading_minutes', fields.IntField(default=0)),
                ('seo_title', fields.CharField(null=True, max_length=300)),
                ('seo_description', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'post_translation', 'app': 'models', 'unique_together': (('post', 'locale'), ('locale', 'slug')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TagTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('tag', fields.ForeignKeyField('models.Tag', source_field='tag_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('name', fields.CharField(max_length=200)),
                ('slug', fields.CharField(max_length=200)),
            ],
            options={'table': 'tag_translation', 'app': 'models', 'unique_together': (('tag', 'locale'), ('locale', 'slug')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]

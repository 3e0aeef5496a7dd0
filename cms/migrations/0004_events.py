from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from cms.models.events import EventStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0003_media_jobs')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Organizer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('website', fields.CharField(null=True, max_length=500)),
                ('social_links', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'organizer', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OrganizerTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organizer', fields.ForeignKeyField('models.Organizer', source_field='organizer_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('name', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'organizer_translation', 'app': 'models', 'unique_together': (('organizer', 'locale'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Venue',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('address', fields.CharField(default='', max_length=300)),
                ('city', fields.CharField(db_index=True, max_length=100)),
                ('region', fields.CharField(default='', max_length=100)),
                ('country', fields.CharField(default='CA', max_length=2)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'venue', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Event',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('status', fields.CharEnumField(default=EventStatus.DRAFT, description='DRAFT: draft\nPUBLISHED: published', enum_type=EventStatus, max_length=16)),
                ('organizer', fields.ForeignKeyField('models.Organizer', source_field='organizer_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('venue', fields.ForeignKeyField('models.Venue', source_field='venue_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.RESTRICT)),
                ('online_url', fields.CharField(null=True, max_length=500)),
                ('timezone', fields.CharField(max_length=64)),
                ('start_local', fields.CharField(max_length=16)),
                ('end_local', fields.CharField(max_length=16)),
                ('rrule', fields.CharField(null=True, max_length=500)),
                ('exdates', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('is_free', fields.BooleanField(default=True)),
                ('price_cents', fields.IntField(null=True)),
                ('currency', fields.CharField(null=True, max_length=3)),
                ('audience', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('registration_url', fields.CharField(null=True, max_length=500)),
                ('cover', fields.ForeignKeyField('models.Media', source_field='cover_id', null=True, db_constraint=True, to_field='id', related_name='event_covers', on_delete=OnDelete.RESTRICT)),
                ('tags', fields.ManyToManyField('models.Tag', unique=True, db_constraint=True, through='event_tag', forward_key='tag_id', backward_key='event_id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('posts', fields.ManyToManyField('models.Post', unique=True, db_constraint=True, through='post_event', forward_key='post_id', backward_key='event_id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField(default=1)),
                ('created_by', fields.ForeignKeyField('models.Account', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'event', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventOverride',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='overrides', on_delete=OnDelete.CASCADE)),
                ('occurrence_local', fields.CharField(max_length=16)),
                ('cancelled', fields.BooleanField(default=False)),
                ('start_local', fields.CharField(null=True, max_length=16)),
                ('end_local', fields.CharField(null=True, max_length=16)),
                ('note', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'event_override', 'app': 'models', 'unique_together': (('event', 'occurrence_local'),), 'pk_attr': 'id', 'table_description': 'One occurrence that differs from its rule: cancelled, or moved.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EventTranslation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.Event', source_field='event_id', db_constraint=True, to_field='id', related_name='translations', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=35)),
                ('title', fields.CharField(max_length=300)),
                ('slug', fields.CharField(max_length=200)),
                ('summary', fields.TextField(default='', unique=False)),
                ('description', fields.TextField(default='', unique=False)),
                ('description_html', fields.TextField(default='', unique=False)),
                ('description_text', fields.TextField(default='', unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'event_translation', 'app': 'models', 'unique_together': (('event', 'locale'), ('locale', 'slug')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]

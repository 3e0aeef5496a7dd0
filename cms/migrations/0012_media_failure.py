"""Why a file's renditions failed, kept with the file for the people who can retry it."""

from tortoise import migrations
from tortoise import fields

from cms.migrations._columns import AddColumn


class Migration(migrations.Migration):
    dependencies = [('models', '0011_password_links')]

    initial = False

    operations = [
        AddColumn(
            model_name='Media',
            name='failure',
            field=fields.TextField(null=True, unique=False),
        ),
    ]

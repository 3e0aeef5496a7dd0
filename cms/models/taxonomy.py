"""Categories and tags, whose names and slugs are translated."""

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    id = fields.IntField(primary_key=True)
    # Categories nest, as WordPress's do: the id of the parent category, or null. A plain
    # column (deleting a category clears it in its children) so that the migration adding it
    # can be undone on SQLite without rebuilding the table.
    parent_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "category"


class Tag(Model):
    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tag"


class TermTranslation(Model):
    """A term's name and slug in one locale; slugs are unique per locale."""

    id = fields.IntField(primary_key=True)
    locale = fields.CharField(max_length=35)
    name = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=200)

    class Meta:
        abstract = True


class CategoryTranslation(TermTranslation):
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="translations", on_delete=fields.CASCADE
    )
    category_id: int

    class Meta:
        table = "category_translation"
        unique_together = (("category", "locale"), ("locale", "slug"))


class TagTranslation(TermTranslation):
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "models.Tag", related_name="translations", on_delete=fields.CASCADE
    )
    tag_id: int

    class Meta:
        table = "tag_translation"
        unique_together = (("tag", "locale"), ("locale", "slug"))

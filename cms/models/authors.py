"""Authors: one name, a biography per locale."""

from tortoise import fields
from tortoise.models import Model


class Author(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    slug = fields.CharField(max_length=200, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    translations: fields.ReverseRelation["AuthorTranslation"]

    class Meta:
        table = "author"


class AuthorTranslation(Model):
    id = fields.IntField(primary_key=True)
    author: fields.ForeignKeyRelation[Author] = fields.ForeignKeyField(
        "models.Author", related_name="translations", on_delete=fields.CASCADE
    )
    author_id: int
    locale = fields.CharField(max_length=35)
    bio = fields.TextField(default="")

    class Meta:
        table = "author_translation"
        unique_together = (("author", "locale"),)

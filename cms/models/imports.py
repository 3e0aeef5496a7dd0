"""What imported rows were in the site they came from."""

from tortoise import fields
from tortoise.models import Model


class ImportedObject(Model):
    """One object brought in from another system, by its id there: importing the same export
    again finds it, updates it if its content changed, and duplicates nothing."""

    id = fields.IntField(primary_key=True)
    # The exporting site, such as "wordpress:https://montreal5a7.example".
    source = fields.CharField(max_length=300)
    # "post", "category", "tag", "author" or "media".
    kind = fields.CharField(max_length=30)
    # The object's id in the source (a WordPress post or term id, an author login).
    external_id = fields.CharField(max_length=200)
    guid = fields.CharField(max_length=1000, null=True)
    # The Cinq row it became (the kind says which table).
    object_id = fields.IntField()
    # SHA-256 of what was imported: an unchanged object is left alone on the next run.
    digest = fields.CharField(max_length=64)
    imported_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "imported_object"
        unique_together = (("source", "kind", "external_id"),)

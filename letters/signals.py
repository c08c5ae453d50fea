"""An export's ZIP leaves storage with its row, however the row goes: replaced by a newer
export, expired, or deleted with its letter page."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from letters.models import LetterExport


@receiver(post_delete, sender=LetterExport)
def delete_export_file(sender, instance: LetterExport, **kwargs) -> None:
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        # After the commit: a rolled-back delete keeps its file.
        transaction.on_commit(lambda: storage.delete(name))

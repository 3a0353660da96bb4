from __future__ import annotations

from django.apps import AppConfig

# What the public pages show (lib.public_pages): a save of any of these apps' models, or a
# delete of the loket's, renders them again. Bulk writes and the monitor's deletes call
# public_pages_changed() themselves: a delete receiver would make Django load every row of
# a bulk delete to send it.
PUBLIC_APPS = ("loket", "monitor", "places")
DELETED_APPS = ("loket",)


class SiteConfig(AppConfig):
    name = "welkom.site"
    label = "site"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from welkom.lib.public_pages import public_pages_changed

        def changed(sender, **kwargs) -> None:
            public_pages_changed()

        for label in PUBLIC_APPS:
            for model in apps.get_app_config(label).get_models():
                post_save.connect(changed, sender=model, weak=False)
                if label in DELETED_APPS:
                    post_delete.connect(changed, sender=model, weak=False)

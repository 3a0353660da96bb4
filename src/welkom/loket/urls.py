from __future__ import annotations

from django.urls import path

from welkom.loket import views

app_name = "loket"

urlpatterns = [
    path("", views.index, name="index"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("contact/", views.contact, name="contact"),
    path("check/", views.check, name="check"),
    path("directory/", views.directory, name="directory"),
    path("manage/", views.manage, name="manage"),
    path("manage/topics/<slug:slug>/<str:language>/", views.topic_edit, name="topic_edit"),
    # A municipality's own data, by its CBS code: a user of several works on each separately.
    path("manage/<str:code>/contact/", views.contact_edit, name="contact_edit"),
    path("manage/<str:code>/contact/confirm/", views.contact_confirm, name="contact_confirm"),
    path("manage/<str:code>/directory/", views.activities, name="activities"),
    path("manage/<str:code>/directory/<int:activity_id>/", views.activities, name="activity_edit"),
    path(
        "manage/<str:code>/directory/<int:activity_id>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
]

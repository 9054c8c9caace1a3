from django.urls import path

from . import views

urlpatterns = [
    path("page/", views.page),
    path("post/", views.post),
    path("thanks/", views.thanks),
]

from .views import files, imports, lists

urlpatterns = [*lists.urlpatterns, *files.urlpatterns, *imports.urlpatterns]

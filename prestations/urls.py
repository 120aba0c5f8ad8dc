app_name = "prestations"
urlpatterns: list = []
